//! OAuth 2 and OAuth 1 connections against real servers on 127.0.0.1: oidc-provider 9.13.3 and
//! an oauthlib 4.0.1 OAuth 1.0a provider, both installed on first use under target/test-servers.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::thread::{self, JoinHandle};
use std::time::Duration;

use deluge_lang::connections::oauth2::flow::{self, CodeFlowOptions};
use deluge_lang::connections::oauth2::refresh::refresh;
use deluge_lang::connections::oauth2::revoke::{revoke, Revocation, TokenKind};
use deluge_lang::connections::oauth2::ui::AuthorizationUi;
use deluge_lang::connections::oauth2::{Endpoints, ScopeJoin, TokenSet};
use deluge_lang::connections::Secret;
use support::browser::{Browser, Choice};
use support::oidc;
use url::Url;

// ---------------------------------------------------------------------------------------------
// helpers

fn oidc_endpoints(base: &str, client_id: &str, secret: Option<&str>) -> Endpoints {
    Endpoints {
        client_id: client_id.to_owned(),
        client_secret: secret.map(Secret::from),
        authorize_url: Some(format!("{base}/auth")),
        token_url: format!("{base}/token"),
        refresh_url: None,
        revoke_url: Some(format!("{base}/token/revocation")),
        device_url: Some(format!("{base}/device/auth")),
        scope_join: ScopeJoin::Space,
        basic_client_auth: true,
        pkce: true,
        auth_params: Vec::new(),
    }
}

fn conf_endpoints() -> Endpoints {
    oidc_endpoints(&oidc::shared().base_url(), "conf", Some("conf-secret"))
}

fn scopes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// What the scripted user does with the redirect before it reaches the listener.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Redirect {
    Deliver,
    WrongState,
}

/// Plays the browser in a background thread when the flow shows a URL.
struct BrowserUi {
    choice: Choice,
    redirect: Redirect,
    worker: Option<JoinHandle<()>>,
}

impl BrowserUi {
    fn new(choice: Choice, redirect: Redirect) -> Self {
        BrowserUi {
            choice,
            redirect,
            worker: None,
        }
    }

    fn finish(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.join().expect("browser thread");
        }
    }
}

impl AuthorizationUi for BrowserUi {
    fn present_authorize_url(&mut self, url: &str) {
        let url = Url::parse(url).expect("authorize URL");
        if query(&url, "code_challenge").is_some() {
            assert_eq!(
                query(&url, "code_challenge_method").as_deref(),
                Some("S256")
            );
        }
        assert!(query(&url, "state").is_some_and(|s| s.len() >= 16));
        let (choice, redirect) = (self.choice, self.redirect);
        self.worker = Some(thread::spawn(move || {
            let mut browser = Browser::new();
            let target = browser
                .walk_to_redirect(&url, choice)
                .expect("the provider redirects back");
            assert_eq!(target.host_str(), Some("127.0.0.1"));
            if redirect == Redirect::WrongState {
                let mut forged = target.clone();
                let pairs: Vec<(String, String)> = target
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if k == "state" {
                            "forged".into()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                forged.query_pairs_mut().clear().extend_pairs(pairs);
                assert_eq!(
                    browser.get(&forged).status,
                    400,
                    "a forged state is ignored"
                );
            }
            let landing = browser.get(&target);
            assert_eq!(landing.status, 200);
        }));
    }

    fn present_device_code(&mut self, user_code: &str, _uri: &str, complete: Option<&str>) {
        assert!(!user_code.is_empty());
        let url = Url::parse(complete.expect("verification_uri_complete")).expect("URL");
        let choice = self.choice;
        self.worker = Some(thread::spawn(move || {
            let mut browser = Browser::new();
            assert!(browser.walk_to_redirect(&url, choice).is_none());
        }));
    }
}

fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn quick_options() -> CodeFlowOptions {
    CodeFlowOptions {
        port: None,
        timeout: Duration::from_secs(30),
    }
}

fn authorize(endpoints: &Endpoints, scope_list: &[&str]) -> TokenSet {
    let mut ui = BrowserUi::new(Choice::Approve, Redirect::Deliver);
    let tokens = flow::authorization_code(endpoints, &scopes(scope_list), quick_options(), &mut ui)
        .expect("authorization code flow");
    ui.finish();
    tokens
}

/// GET /me (userinfo) with the access token: the protected resource of oidc-provider.
fn userinfo(base: &str, access_token: &str) -> (u16, String) {
    let response = reqwest::blocking::Client::new()
        .get(format!("{base}/me"))
        .bearer_auth(access_token)
        .send()
        .expect("userinfo request");
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().unwrap_or_default();
    (status, if status == 200 { body } else { challenge })
}

/// POST /token/introspection as `conf`.
fn introspect(base: &str, token: &str) -> serde_json::Value {
    reqwest::blocking::Client::new()
        .post(format!("{base}/token/introspection"))
        .basic_auth("conf", Some("conf-secret"))
        .form(&[("token", token)])
        .send()
        .and_then(|r| r.text())
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .expect("introspection")
}

// ---------------------------------------------------------------------------------------------
// OAuth 2 grants against oidc-provider

#[test]
fn authorization_code_with_pkce_end_to_end() {
    let base = oidc::shared().base_url();
    let tokens = authorize(&conf_endpoints(), &["openid", "read"]);
    assert_eq!(tokens.token_type, "Bearer");
    assert!(tokens.refresh_token.is_some(), "a refresh token is issued");
    assert!(tokens.lifetime_known);
    let (status, body) = userinfo(&base, &tokens.access_token);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"sub\":\"alice\""), "{body}");
}

#[test]
fn authorization_code_for_a_public_client_and_a_client_posting_its_secret() {
    let base = oidc::shared().base_url();
    let public = oidc_endpoints(&base, "public", None);
    let tokens = authorize(&public, &["openid"]);
    assert_eq!(userinfo(&base, &tokens.access_token).0, 200);
    let mut post = oidc_endpoints(&base, "post", Some("post-secret"));
    post.basic_client_auth = false;
    let tokens = authorize(&post, &["openid"]);
    assert_eq!(userinfo(&base, &tokens.access_token).0, 200);
}

#[test]
fn wrong_state_is_ignored_and_the_real_redirect_completes() {
    let mut ui = BrowserUi::new(Choice::Approve, Redirect::WrongState);
    let tokens = flow::authorization_code(
        &conf_endpoints(),
        &scopes(&["openid"]),
        quick_options(),
        &mut ui,
    )
    .expect("the forged redirect is ignored, the real one completes the flow");
    ui.finish();
    assert!(!tokens.access_token.is_empty());
}

#[test]
fn denied_consent_is_reported() {
    let mut ui = BrowserUi::new(Choice::Deny, Redirect::Deliver);
    let error = flow::authorization_code(
        &conf_endpoints(),
        &scopes(&["openid"]),
        quick_options(),
        &mut ui,
    )
    .unwrap_err();
    ui.finish();
    assert_eq!(
        error.to_string(),
        "the provider rejected the authorization: access_denied (End-User aborted interaction)"
    );
}

#[test]
fn error_callback_is_reported() {
    // `prompt=none` without a session: oidc-provider redirects straight back with an error.
    let mut endpoints = conf_endpoints();
    endpoints.auth_params = vec![("prompt".to_owned(), "none".to_owned())];
    let mut ui = BrowserUi::new(Choice::Approve, Redirect::Deliver);
    let error =
        flow::authorization_code(&endpoints, &scopes(&["openid"]), quick_options(), &mut ui)
            .unwrap_err();
    ui.finish();
    let text = error.to_string();
    assert!(
        text.starts_with("the provider rejected the authorization: login_required"),
        "{text}"
    );
}

#[test]
fn nobody_answering_times_out_with_advice() {
    struct Silent;
    impl AuthorizationUi for Silent {
        fn present_authorize_url(&mut self, _url: &str) {}
        fn present_device_code(&mut self, _: &str, _: &str, _: Option<&str>) {}
    }
    let options = CodeFlowOptions {
        port: None,
        timeout: Duration::from_millis(300),
    };
    let error = flow::authorization_code(&conf_endpoints(), &[], options, &mut Silent).unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("gave up after 0 s waiting for the provider's redirect"),
        "{text}"
    );
    assert!(text.contains("dlg connection authorize"), "{text}");
}

#[test]
fn refresh_rotates_and_the_old_refresh_token_dies() {
    let base = oidc::shared().base_url();
    let endpoints = conf_endpoints();
    let first = authorize(&endpoints, &["openid", "read"]);
    let old_refresh = first.refresh_token.clone().expect("refresh token");
    let second = refresh(&endpoints, &old_refresh).expect("refresh");
    let new_refresh = second.refresh_token.clone().expect("rotated refresh token");
    assert_ne!(new_refresh, old_refresh, "the refresh token rotates");
    assert_ne!(second.access_token, first.access_token);
    assert_eq!(userinfo(&base, &second.access_token).0, 200);
    // Reusing the rotated-away token is reuse: the provider revokes the grant.
    let error = refresh(&endpoints, &old_refresh).unwrap_err();
    assert!(error.is_invalid_grant(), "{error}");
    assert!(error
        .to_string()
        .starts_with("the provider rejected the refresh: invalid_grant"));
}

#[test]
fn revocation_kills_the_grant() {
    let base = oidc::shared().base_url();
    let endpoints = conf_endpoints();
    let tokens = authorize(&endpoints, &["openid"]);
    let refresh_token = tokens.refresh_token.clone().expect("refresh token");
    assert_eq!(
        revoke(&endpoints, &refresh_token, TokenKind::Refresh).unwrap(),
        Revocation::Revoked
    );
    let (status, challenge) = userinfo(&base, &tokens.access_token);
    assert_eq!(status, 401);
    assert!(challenge.contains("invalid_token"), "{challenge}");
    assert!(refresh(&endpoints, &refresh_token)
        .unwrap_err()
        .is_invalid_grant());
    // Revocation is idempotent (RFC 7009).
    assert_eq!(
        revoke(&endpoints, &refresh_token, TokenKind::Refresh).unwrap(),
        Revocation::Revoked
    );
    let mut no_url = endpoints.clone();
    no_url.revoke_url = None;
    assert_eq!(
        revoke(&no_url, "x", TokenKind::Access).unwrap(),
        Revocation::NoEndpoint
    );
}

#[test]
fn client_credentials_grant() {
    let base = oidc::shared().base_url();
    let tokens = flow::client_credentials(&conf_endpoints(), &scopes(&["read"])).expect("token");
    assert!(tokens.refresh_token.is_none());
    let info = introspect(&base, &tokens.access_token);
    assert_eq!(info["active"], true, "{info}");
    assert_eq!(info["client_id"], "conf");
    let bad = oidc_endpoints(&base, "conf", Some("wrong-secret"));
    let error = flow::client_credentials(&bad, &[]).unwrap_err();
    assert!(error.to_string().contains("invalid_client"), "{error}");
}

#[test]
fn device_grant_approved_through_the_complete_verification_uri() {
    let base = oidc::shared().base_url();
    let mut ui = BrowserUi::new(Choice::Approve, Redirect::Deliver);
    let tokens = flow::device(
        &conf_endpoints(),
        &scopes(&["openid", "read"]),
        Default::default(),
        &mut ui,
    )
    .expect("device flow");
    ui.finish();
    assert!(tokens.refresh_token.is_some());
    assert_eq!(userinfo(&base, &tokens.access_token).0, 200);
}

#[test]
fn device_grant_denied() {
    let mut ui = BrowserUi::new(Choice::Deny, Redirect::Deliver);
    let error = flow::device(
        &conf_endpoints(),
        &scopes(&["openid"]),
        Default::default(),
        &mut ui,
    )
    .unwrap_err();
    ui.finish();
    assert_eq!(error.provider_code(), Some("access_denied"), "{error}");
    assert!(error
        .to_string()
        .starts_with("the provider rejected the device authorization: access_denied"));
}

#[test]
fn device_code_expiry_is_reported() {
    let base = oidc::shared().base_url();
    // Client `short` gets device codes that expire after 3 s; nobody approves.
    struct Absent;
    impl AuthorizationUi for Absent {
        fn present_authorize_url(&mut self, _url: &str) {}
        fn present_device_code(&mut self, _: &str, _: &str, _: Option<&str>) {}
    }
    let endpoints = oidc_endpoints(&base, "short", Some("short-secret"));
    let error = flow::device(
        &endpoints,
        &scopes(&["openid"]),
        Default::default(),
        &mut Absent,
    )
    .unwrap_err();
    assert_eq!(error.provider_code(), Some("expired_token"), "{error}");
}

#[test]
fn pasted_redirect_url_completes_the_flow() {
    /// The `--no-browser` case: the user copies the redirected URL instead of letting the
    /// browser reach the listener.
    struct PastingUi(
        Option<std::sync::mpsc::Receiver<String>>,
        Option<JoinHandle<()>>,
    );
    impl AuthorizationUi for PastingUi {
        fn present_authorize_url(&mut self, url: &str) {
            let (sender, receiver) = std::sync::mpsc::channel();
            self.0 = Some(receiver);
            let url = Url::parse(url).expect("URL");
            self.1 = Some(thread::spawn(move || {
                let target = Browser::new()
                    .walk_to_redirect(&url, Choice::Approve)
                    .expect("redirect");
                sender.send(target.to_string()).expect("paste");
            }));
        }
        fn pasted_redirects(&mut self) -> Option<std::sync::mpsc::Receiver<String>> {
            self.0.take()
        }
        fn present_device_code(&mut self, _: &str, _: &str, _: Option<&str>) {}
    }
    let mut ui = PastingUi(None, None);
    let tokens = flow::authorization_code(
        &conf_endpoints(),
        &scopes(&["openid"]),
        quick_options(),
        &mut ui,
    )
    .expect("flow completed from the pasted URL");
    if let Some(worker) = ui.1.take() {
        worker.join().expect("browser thread");
    }
    assert_eq!(
        userinfo(&oidc::shared().base_url(), &tokens.access_token).0,
        200
    );
}

#[test]
fn a_fixed_port_is_used_for_the_redirect() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut ui = BrowserUi::new(Choice::Approve, Redirect::Deliver);
    let options = CodeFlowOptions {
        port: Some(port),
        timeout: Duration::from_secs(30),
    };
    let tokens =
        flow::authorization_code(&conf_endpoints(), &scopes(&["openid"]), options, &mut ui);
    ui.finish();
    assert!(tokens.is_ok(), "{tokens:?}");
}

#[test]
fn the_provider_requires_pkce() {
    let mut endpoints = conf_endpoints();
    endpoints.pkce = false;
    let mut ui = BrowserUi::new(Choice::Approve, Redirect::Deliver);
    let error =
        flow::authorization_code(&endpoints, &scopes(&["openid"]), quick_options(), &mut ui)
            .unwrap_err();
    ui.finish();
    let text = error.to_string();
    assert!(
        text.starts_with("the provider rejected the authorization: invalid_request"),
        "{text}"
    );
    assert!(text.contains("PKCE"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// OAuth 2 connections in the store, used through the authorizer

mod store_level {
    use super::*;
    use deluge_lang::connections::model::{
        now, ClientAuth, Connection, Grant, OAuth2Spec, ScopeDelimiter, Service, ServiceSecrets,
        Status,
    };
    use deluge_lang::connections::oauth2::connection::{
        self as oauth2_connection, AuthorizeOptions, RemoteRevocation,
    };
    use deluge_lang::connections::{
        AuthSpec, ConnectionAuthorizer, ConnectionError, Credentials, FileStoreAuthorizer, Store,
    };
    use deluge_lang::http::request::{Body, HttpRequest, Method};
    use std::collections::BTreeMap;
    use std::process::Command;

    pub(super) fn spec(base: &str, client_id: &str, grant: Grant) -> OAuth2Spec {
        OAuth2Spec {
            grant,
            client_id: client_id.to_owned(),
            authorize_url: Some(format!("{base}/auth")),
            token_url: format!("{base}/token"),
            refresh_url: None,
            revoke_url: Some(format!("{base}/token/revocation")),
            device_url: Some(format!("{base}/device/auth")),
            scope_delimiter: ScopeDelimiter::Space,
            token_prefix: "Bearer".to_owned(),
            auth_params: BTreeMap::new(),
            pkce: true,
            client_auth: ClientAuth::Basic,
        }
    }

    /// A store in a temporary folder with one OAuth 2 service and connection `acct`.
    pub(super) fn store_with(
        spec: OAuth2Spec,
        secret: Option<&str>,
        scopes: &[&str],
    ) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path()).with_master_key(None);
        let at = now();
        store
            .update(|tx| {
                let service = Service {
                    link_name: "oidc".into(),
                    display_name: "oidc-provider".into(),
                    builtin: false,
                    api_base: None,
                    allowed_hosts: vec!["127.0.0.1".into()],
                    allow_insecure_http: false,
                    auth: AuthSpec::OAuth2(spec),
                    created_at: at,
                    updated_at: at,
                };
                let secrets = ServiceSecrets {
                    client_secret: secret.map(Secret::from),
                };
                tx.add_service(service, &secrets)?;
                let mut connection = Connection::new("acct", "Account", "oidc", at);
                connection.scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
                tx.add_connection(connection)
            })
            .expect("store setup");
        (dir, store)
    }

    pub(super) fn authorize_with(
        store: &Store,
        choice: Choice,
        redirect: Redirect,
    ) -> Result<(), ConnectionError> {
        let mut ui = BrowserUi::new(choice, redirect);
        let options = AuthorizeOptions {
            code_flow: quick_options(),
            ..AuthorizeOptions::default()
        };
        let result = oauth2_connection::authorize_connection(store, "acct", options, &mut ui);
        ui.finish();
        result
    }

    pub(super) fn me_request(base: &str) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: Url::parse(&format!("{base}/me")).expect("URL"),
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    /// Sends a request signed by the authorizer; returns the status and the Authorization value.
    pub(super) fn send_signed(
        authorizer: &FileStoreAuthorizer,
        base: &str,
    ) -> Result<(u16, String), ConnectionError> {
        let mut request = me_request(base);
        authorizer.authorize("acct", &mut request)?;
        let authorization = request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.clone())
            .expect("Authorization header");
        let status = reqwest::blocking::Client::new()
            .get(request.url.clone())
            .header("Authorization", &authorization)
            .send()
            .expect("request")
            .status()
            .as_u16();
        Ok((status, authorization))
    }

    fn connection(store: &Store) -> Connection {
        store.load().unwrap().connection("acct").unwrap().clone()
    }

    fn tokens(store: &Store) -> (String, Option<String>) {
        match store.load().unwrap().credentials("acct").unwrap() {
            Some(Credentials::OAuth2 {
                access_token,
                refresh_token,
                ..
            }) => (
                access_token.expose().to_owned(),
                refresh_token.map(|t| t.expose().to_owned()),
            ),
            other => panic!("OAuth 2 credentials expected, got {other:?}"),
        }
    }

    fn set_expiry(store: &Store, seconds_from_now: i64) {
        store
            .update(|tx| {
                let at = now().as_second() + seconds_from_now;
                tx.connection_mut("acct")?.expires_at =
                    Some(jiff::Timestamp::from_second(at).unwrap());
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn authorize_then_sign_requests_through_the_authorizer() {
        let base = oidc::shared().base_url();
        let (_dir, store) = store_with(
            spec(&base, "conf", Grant::AuthorizationCode),
            Some("conf-secret"),
            &["openid", "read"],
        );
        let authorizer = FileStoreAuthorizer::new(store.clone());
        let error = send_signed(&authorizer, &base).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("is not connected; authorize it first"),
            "{error}"
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        let stored = connection(&store);
        assert_eq!(stored.status, Status::Connected);
        assert!(stored.expires_at.is_some() && stored.authorized_at.is_some());
        let (status, authorization) = send_signed(&authorizer, &base).unwrap();
        assert_eq!(status, 200);
        assert_eq!(authorization, format!("Bearer {}", tokens(&store).0));
    }

    #[test]
    fn token_prefix_is_the_services() {
        let base = oidc::shared().base_url();
        let mut zoho_like = spec(&base, "conf", Grant::ClientCredentials);
        zoho_like.token_prefix = "Zoho-oauthtoken".into();
        let (_dir, store) = store_with(zoho_like, Some("conf-secret"), &["read"]);
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("client credentials");
        let mut request = me_request(&base);
        FileStoreAuthorizer::new(store.clone())
            .authorize("acct", &mut request)
            .unwrap();
        assert_eq!(
            request.headers,
            vec![(
                "Authorization".to_owned(),
                format!("Zoho-oauthtoken {}", tokens(&store).0)
            )]
        );
    }

    #[test]
    fn failed_flows_leave_the_connection_unchanged() {
        let base = oidc::shared().base_url();
        let (_dir, store) = store_with(
            spec(&base, "conf", Grant::AuthorizationCode),
            Some("conf-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        let before = (connection(&store), tokens(&store));
        let denied = authorize_with(&store, Choice::Deny, Redirect::Deliver).unwrap_err();
        assert_eq!(
            denied.to_string(),
            "connection \"acct\": authorization failed: the provider rejected the authorization: \
             access_denied (End-User aborted interaction); the connection was left unchanged"
        );
        let mut error_spec = spec(&base, "conf", Grant::AuthorizationCode);
        error_spec
            .auth_params
            .insert("prompt".into(), "none".into());
        store
            .update(|tx| {
                tx.service_mut("oidc")?.auth = AuthSpec::OAuth2(error_spec);
                Ok(())
            })
            .unwrap();
        let error = authorize_with(&store, Choice::Approve, Redirect::Deliver).unwrap_err();
        assert!(error.to_string().contains("login_required"), "{error}");
        assert_eq!((connection(&store), tokens(&store)), before);
    }

    #[test]
    fn an_expired_access_token_is_refreshed_before_use() {
        let base = oidc::shared().base_url();
        // Client `short` gets access tokens that expire after 2 s.
        let (_dir, store) = store_with(
            spec(&base, "short", Grant::AuthorizationCode),
            Some("short-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        let (old_access, old_refresh) = tokens(&store);
        thread::sleep(Duration::from_millis(3200));
        assert_eq!(
            userinfo(&base, &old_access).0,
            401,
            "the old token really expired"
        );
        let authorizer = FileStoreAuthorizer::new(store.clone());
        let (status, _) = send_signed(&authorizer, &base).unwrap();
        assert_eq!(status, 200);
        let (new_access, new_refresh) = tokens(&store);
        assert_ne!(new_access, old_access);
        assert_ne!(
            new_refresh, old_refresh,
            "the rotated refresh token was stored"
        );
        assert!(connection(&store).last_refresh_at.is_some());
    }

    #[test]
    fn a_401_triggers_one_refresh_and_a_retry() {
        let base = oidc::shared().base_url();
        let (_dir, store) = store_with(
            spec(&base, "short", Grant::AuthorizationCode),
            Some("short-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        // The store believes the token is good for an hour; the provider expires it in 2 s.
        set_expiry(&store, 3600);
        thread::sleep(Duration::from_millis(3200));
        let authorizer = FileStoreAuthorizer::new(store.clone());
        let (status, _) = send_signed(&authorizer, &base).unwrap();
        assert_eq!(status, 401);
        assert!(authorizer.renew_after_unauthorized("acct").unwrap());
        set_expiry(&store, 3600);
        let (status, _) = send_signed(&authorizer, &base).unwrap();
        assert_eq!(status, 200);
    }

    #[test]
    fn a_dead_refresh_token_means_needs_reauth() {
        let base = oidc::shared().base_url();
        let (_dir, store) = store_with(
            spec(&base, "conf", Grant::AuthorizationCode),
            Some("conf-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        let refresh_token = tokens(&store).1.expect("refresh token");
        // The grant dies behind our back (revoked in the provider's account page, say).
        revoke(&conf_endpoints(), &refresh_token, TokenKind::Refresh).unwrap();
        set_expiry(&store, -10);
        let authorizer = FileStoreAuthorizer::new(store.clone());
        let error = send_signed(&authorizer, &base).unwrap_err();
        assert_eq!(
            error.to_string(),
            "connection \"acct\" needs re-authorization: the provider rejected the refresh token \
             (invalid_grant); run `dlg connection authorize acct`"
        );
        assert_eq!(connection(&store).status, Status::NeedsReauth);
        // Authorizing again repairs it.
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("re-authorize");
        assert_eq!(send_signed(&authorizer, &base).unwrap().0, 200);
    }

    #[test]
    fn revoke_kills_the_tokens_at_the_provider_and_delete_removes_the_connection() {
        let base = oidc::shared().base_url();
        let (_dir, store) = store_with(
            spec(&base, "conf", Grant::AuthorizationCode),
            Some("conf-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        let (access, _) = tokens(&store);
        let outcome = oauth2_connection::revoke_connection(&store, "acct").unwrap();
        assert_eq!(outcome, RemoteRevocation::Revoked);
        assert_eq!(
            userinfo(&base, &access).0,
            401,
            "the provider rejects the old token"
        );
        assert_eq!(connection(&store).status, Status::Disconnected);
        assert!(store.load().unwrap().credentials("acct").unwrap().is_none());
        let error = send_signed(&FileStoreAuthorizer::new(store.clone()), &base).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("was revoked; authorize it again"),
            "{error}"
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize again");
        let (access, _) = tokens(&store);
        let outcome = oauth2_connection::delete_connection(&store, "acct").unwrap();
        assert_eq!(outcome, RemoteRevocation::Revoked);
        assert_eq!(userinfo(&base, &access).0, 401);
        assert!(store.load().unwrap().connection("acct").is_none());
    }

    #[test]
    fn device_grant_through_the_store() {
        let base = oidc::shared().base_url();
        let (_dir, store) = store_with(
            spec(&base, "conf", Grant::Device),
            Some("conf-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("device authorization");
        assert_eq!(
            send_signed(&FileStoreAuthorizer::new(store.clone()), &base)
                .unwrap()
                .0,
            200
        );
    }

    #[test]
    fn client_credentials_are_renewed_without_a_refresh_token() {
        let base = oidc::shared().base_url();
        let (_dir, store) = store_with(
            spec(&base, "conf", Grant::ClientCredentials),
            Some("conf-secret"),
            &["read"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("client credentials");
        let (first, refresh_token) = tokens(&store);
        assert!(refresh_token.is_none());
        set_expiry(&store, -1);
        let mut request = me_request(&base);
        FileStoreAuthorizer::new(store.clone())
            .authorize("acct", &mut request)
            .unwrap();
        let (second, _) = tokens(&store);
        assert_ne!(first, second, "a new token was requested");
        assert_eq!(introspect(&base, &second)["active"], true);
    }

    #[test]
    fn a_service_without_client_id_cannot_authorize() {
        let base = oidc::shared().base_url();
        let (_dir, store) =
            store_with(spec(&base, "", Grant::AuthorizationCode), None, &["openid"]);
        let error = authorize_with(&store, Choice::Approve, Redirect::Deliver).unwrap_err();
        assert_eq!(
            error.to_string(),
            "service \"oidc\" has no OAuth client id; register an app with the provider and give \
             its client id (and secret) to the service before authorizing \"acct\""
        );
    }

    #[test]
    fn eight_threads_refresh_once() {
        let peer = oidc::start();
        let base = peer.base_url();
        let (_dir, store) = store_with(
            spec(&base, "conf", Grant::AuthorizationCode),
            Some("conf-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        set_expiry(&store, -5);
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let authorizer = FileStoreAuthorizer::new(store.clone());
                let base = base.clone();
                thread::spawn(move || send_signed(&authorizer, &base).expect("authorize"))
            })
            .collect();
        let results: Vec<(u16, String)> = handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect();
        assert!(
            results.iter().all(|(status, _)| *status == 200),
            "{:?}",
            results.iter().map(|r| r.0).collect::<Vec<_>>()
        );
        assert!(
            results.windows(2).all(|w| w[0].1 == w[1].1),
            "all threads used the same token"
        );
        let refreshes = peer
            .stdout_lines()
            .iter()
            .filter(|line| line.starts_with("EVENT grant.success refresh_token"))
            .count();
        assert_eq!(refreshes, 1);
    }

    /// Runs a one-line `invokeurl` script with `dlg run` against the store in `home`.
    fn run_invokeurl(home: &std::path::Path, base: &str) -> (bool, String) {
        let script = home.join("me.dg");
        std::fs::write(
            &script,
            format!(
                "response = invokeurl\n[\n  url: \"{base}/me\"\n  type: GET\n  connection: \"acct\"\n];\ninfo response;\n"
            ),
        )
        .expect("script");
        let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
            .arg("run")
            .arg(&script)
            .env("DLG_HOME", home)
            .env_remove("DLG_MASTER_KEY")
            .output()
            .expect("dlg run");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    }

    #[test]
    fn invokeurl_refreshes_an_expired_token_transparently() {
        let base = oidc::shared().base_url();
        let (dir, store) = store_with(
            spec(&base, "short", Grant::AuthorizationCode),
            Some("short-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        let (old_access, _) = tokens(&store);
        thread::sleep(Duration::from_millis(3200));
        let (success, output) = run_invokeurl(dir.path(), &base);
        assert!(success, "{output}");
        assert!(output.contains("\"sub\":\"alice\""), "{output}");
        assert_ne!(tokens(&store).0, old_access, "the token was refreshed");
    }

    #[test]
    fn invokeurl_retries_once_after_a_401() {
        let base = oidc::shared().base_url();
        let (dir, store) = store_with(
            spec(&base, "short", Grant::AuthorizationCode),
            Some("short-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        // The store thinks the token is good for an hour; the provider expired it after 2 s.
        set_expiry(&store, 3600);
        thread::sleep(Duration::from_millis(3200));
        let (success, output) = run_invokeurl(dir.path(), &base);
        assert!(success, "{output}");
        assert!(output.contains("\"sub\":\"alice\""), "{output}");
    }

    const WORKER_HOME: &str = "DLG_OAUTH_TEST_WORKER_HOME";
    const WORKER_BASE: &str = "DLG_OAUTH_TEST_WORKER_BASE";

    /// Not a test on its own: the body of each process spawned by
    /// `eight_processes_refresh_once`. Without its environment variables it does nothing.
    #[test]
    fn worker_process_for_concurrent_refresh() {
        let (Some(home), Some(base)) = (
            std::env::var_os(WORKER_HOME),
            std::env::var(WORKER_BASE).ok(),
        ) else {
            return;
        };
        let authorizer = FileStoreAuthorizer::new(Store::at(home).with_master_key(None));
        let (status, authorization) = send_signed(&authorizer, &base).expect("authorize");
        use sha2::Digest;
        let digest = sha2::Sha256::digest(authorization.as_bytes());
        println!("WORKER-RESULT {status} {:x}", digest);
    }

    #[test]
    fn eight_processes_refresh_once() {
        // A fresh provider so its event log holds only this test's token requests.
        let peer = oidc::start();
        let base = peer.base_url();
        let (dir, store) = store_with(
            spec(&base, "conf", Grant::AuthorizationCode),
            Some("conf-secret"),
            &["openid"],
        );
        authorize_with(&store, Choice::Approve, Redirect::Deliver).expect("authorize");
        set_expiry(&store, -5);
        let exe = std::env::current_exe().expect("test binary");
        let outputs: Vec<String> = spawn_and_collect(&exe, dir.path(), &base);
        let results: Vec<&str> = outputs.iter().map(String::as_str).collect();
        assert_eq!(results.len(), 8, "{results:?}");
        assert!(
            results.iter().all(|r| r.starts_with("200 ")),
            "every worker got 200: {results:?}"
        );
        assert!(
            results.windows(2).all(|w| w[0] == w[1]),
            "all used the same token: {results:?}"
        );
        let refreshes = peer
            .stdout_lines()
            .iter()
            .filter(|line| line.starts_with("EVENT grant.success refresh_token"))
            .count();
        assert_eq!(
            refreshes,
            1,
            "exactly one refresh: {:?}",
            peer.stdout_lines()
        );
        // The grant survived: one more refresh works and the token is accepted.
        set_expiry(&store, -5);
        assert_eq!(
            send_signed(&FileStoreAuthorizer::new(store.clone()), &base)
                .unwrap()
                .0,
            200
        );
    }

    fn spawn_and_collect(exe: &std::path::Path, home: &std::path::Path, base: &str) -> Vec<String> {
        let children: Vec<_> = (0..8)
            .map(|_| {
                Command::new(exe)
                    .args([
                        "--exact",
                        "store_level::worker_process_for_concurrent_refresh",
                        "--nocapture",
                        "--test-threads=1",
                    ])
                    .env(WORKER_HOME, home)
                    .env(WORKER_BASE, base)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("worker process")
            })
            .collect();
        children
            .into_iter()
            .filter_map(|child| {
                let output = child.wait_with_output().expect("worker output");
                let text = String::from_utf8_lossy(&output.stdout).into_owned();
                let line = text
                    .lines()
                    .find_map(|l| l.split_once("WORKER-RESULT ").map(|(_, r)| r.to_owned()));
                if line.is_none() {
                    eprintln!(
                        "worker failed:\n{text}\n{}",
                        String::from_utf8_lossy(&output.stderr)
                    );
                }
                line
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// OAuth 1.0a against the oauthlib provider

mod oauth1 {
    use super::*;
    use deluge_lang::connections::model::{
        now, Connection, OAuth1Spec, Placement, Service, ServiceSecrets, SignatureMethod, Status,
    };
    use deluge_lang::connections::oauth1::connection::authorize_connection;
    use deluge_lang::connections::oauth1::flow::{send, FlowOptions};
    use deluge_lang::connections::oauth1::signer::{
        authorization_header, compute_signature, ProtocolParams, SigningKeys,
    };
    use deluge_lang::connections::{AuthSpec, ConnectionAuthorizer, FileStoreAuthorizer, Store};
    use deluge_lang::http::request::{Body, HttpRequest, Method};
    use support::oauth1_peer;

    /// Plays the user: opens the authorize URL (oauthlib approves at once) and either follows
    /// the redirect to the loopback callback or reads the out-of-band verifier.
    struct Oauth1Ui {
        worker: Option<JoinHandle<()>>,
        oob_verifier: Option<String>,
    }

    impl AuthorizationUi for Oauth1Ui {
        fn present_authorize_url(&mut self, url: &str) {
            let url = Url::parse(url).expect("authorize URL");
            assert!(query(&url, "oauth_token").is_some());
            let mut browser = Browser::new();
            let page = browser.get(&url);
            match page.location {
                Some(callback) => {
                    self.worker = Some(thread::spawn(move || {
                        assert_eq!(Browser::new().get(&callback).status, 200);
                    }))
                }
                None => {
                    let pairs: Vec<(String, String)> =
                        url::form_urlencoded::parse(page.body.as_bytes())
                            .into_owned()
                            .collect();
                    self.oob_verifier = pairs
                        .into_iter()
                        .find(|(k, _)| k == "oauth_verifier")
                        .map(|(_, v)| v);
                }
            }
        }

        fn prompt_verifier(&mut self) -> Option<String> {
            self.oob_verifier.take()
        }

        fn present_device_code(&mut self, _: &str, _: &str, _: Option<&str>) {}
    }

    fn store_with(
        base: &str,
        method: SignatureMethod,
        placement: Placement,
    ) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path()).with_master_key(None);
        let at = now();
        store
            .update(|tx| {
                let spec = OAuth1Spec {
                    request_token_url: format!("{base}/oauth/request_token"),
                    authorize_url: format!("{base}/oauth/authorize"),
                    access_token_url: format!("{base}/oauth/access_token"),
                    consumer_key: "deluge-consumer".into(),
                    signature_method: method,
                    placement,
                };
                let service = Service {
                    link_name: "o1".into(),
                    display_name: "oauthlib".into(),
                    builtin: false,
                    api_base: None,
                    allowed_hosts: vec!["127.0.0.1".into()],
                    allow_insecure_http: false,
                    auth: AuthSpec::OAuth1(spec),
                    created_at: at,
                    updated_at: at,
                };
                let secrets = ServiceSecrets {
                    client_secret: Some(Secret::from("deluge-consumer-secret")),
                };
                tx.add_service(service, &secrets)?;
                tx.add_connection(Connection::new("acct", "Account", "o1", at))
            })
            .expect("store setup");
        (dir, store)
    }

    fn authorize(store: &Store, out_of_band: bool) {
        let mut ui = Oauth1Ui {
            worker: None,
            oob_verifier: None,
        };
        let options = FlowOptions {
            port: None,
            out_of_band,
            timeout: Duration::from_secs(30),
        };
        authorize_connection(store, "acct", options, &mut ui).expect("OAuth 1 authorization");
        if let Some(worker) = ui.worker.take() {
            worker.join().expect("callback thread");
        }
        assert_eq!(
            store.load().unwrap().connection("acct").unwrap().status,
            Status::Connected
        );
    }

    fn echo(store: &Store, base: &str, method: Method) -> (u16, serde_json::Value) {
        let mut request = HttpRequest {
            method,
            url: Url::parse(&format!("{base}/api/echo?q=a%20b&tag=x+y")).unwrap(),
            headers: Vec::new(),
            body: if method == Method::Post {
                Body::Form(vec![(
                    "status".into(),
                    "Hello Ladies + Gentlemen, a signed OAuth request!".into(),
                )])
            } else {
                Body::Empty
            },
        };
        FileStoreAuthorizer::new(store.clone())
            .authorize("acct", &mut request)
            .expect("sign");
        let (status, body) = send(&request).expect("send");
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
        )
    }

    #[test]
    fn three_legged_flow_with_loopback_callback_then_signed_requests() {
        let base = oauth1_peer::shared().base_url();
        let (_dir, store) = store_with(&base, SignatureMethod::HmacSha1, Placement::Header);
        authorize(&store, false);
        let (status, body) = echo(&store, &base, Method::Get);
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["client_key"], "deluge-consumer");
        assert_eq!(body["signature_type"], "AUTHORIZATION_HEADER");
        assert_eq!(body["args"]["q"], "a b");
    }

    #[test]
    fn three_legged_flow_out_of_band_pin() {
        let base = oauth1_peer::shared().base_url();
        let (_dir, store) = store_with(&base, SignatureMethod::HmacSha1, Placement::Header);
        authorize(&store, true);
        assert_eq!(echo(&store, &base, Method::Get).0, 200);
    }

    #[test]
    fn every_signature_method_in_every_placement() {
        let base = oauth1_peer::shared().base_url();
        for method in [
            SignatureMethod::HmacSha1,
            SignatureMethod::HmacSha256,
            SignatureMethod::Plaintext,
        ] {
            for placement in [Placement::Header, Placement::Query, Placement::Form] {
                let (_dir, store) = store_with(&base, method, placement);
                authorize(&store, false);
                for http_method in [Method::Get, Method::Post] {
                    let (status, body) = echo(&store, &base, http_method);
                    let case = format!("{method:?} / {placement:?} / {http_method:?}");
                    assert_eq!(status, 200, "{case}: {body}");
                    let expected_type = match (placement, http_method) {
                        (Placement::Header, _) => "AUTHORIZATION_HEADER",
                        (Placement::Query, _) | (Placement::Form, Method::Get) => "QUERY",
                        (Placement::Form, _) => "BODY",
                    };
                    assert_eq!(body["signature_type"], expected_type, "{case}");
                    let expected_method = match method {
                        SignatureMethod::HmacSha1 => "HMAC-SHA1",
                        SignatureMethod::HmacSha256 => "HMAC-SHA256",
                        SignatureMethod::Plaintext => "PLAINTEXT",
                    };
                    assert_eq!(body["signature_method"], expected_method, "{case}");
                }
            }
        }
    }

    #[test]
    fn replayed_nonce_and_wrong_secret_are_rejected() {
        let base = oauth1_peer::shared().base_url();
        let (_dir, store) = store_with(&base, SignatureMethod::HmacSha1, Placement::Header);
        authorize(&store, false);
        let mut request = HttpRequest {
            method: Method::Get,
            url: Url::parse(&format!("{base}/api/echo")).unwrap(),
            headers: Vec::new(),
            body: Body::Empty,
        };
        FileStoreAuthorizer::new(store.clone())
            .authorize("acct", &mut request)
            .unwrap();
        assert_eq!(send(&request).unwrap().0, 200);
        assert_eq!(
            send(&request).unwrap().0,
            401,
            "the same nonce twice is a replay"
        );
        store
            .update(|tx| {
                tx.set_service_secrets(
                    "o1",
                    &ServiceSecrets {
                        client_secret: Some(Secret::from("wrong")),
                    },
                )
            })
            .unwrap();
        let (status, _) = echo(&store, &base, Method::Get);
        assert_eq!(status, 401);
    }

    #[test]
    fn a_denied_or_failed_flow_leaves_the_connection_unchanged() {
        let base = oauth1_peer::shared().base_url();
        let (_dir, store) = store_with(&base, SignatureMethod::HmacSha1, Placement::Header);
        store
            .update(|tx| {
                tx.set_service_secrets(
                    "o1",
                    &ServiceSecrets {
                        client_secret: Some(Secret::from("wrong")),
                    },
                )
            })
            .unwrap();
        let mut ui = Oauth1Ui {
            worker: None,
            oob_verifier: None,
        };
        let error =
            authorize_connection(&store, "acct", FlowOptions::default(), &mut ui).unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("connection \"acct\": authorization failed: the provider rejected the request token"), "{text}");
        assert!(
            text.ends_with("the connection was left unchanged"),
            "{text}"
        );
        assert_eq!(
            store.load().unwrap().connection("acct").unwrap().status,
            Status::NotConnected
        );
    }

    #[test]
    fn invokeurl_signs_with_the_oauth1_connection() {
        let base = oauth1_peer::shared().base_url();
        for placement in [Placement::Header, Placement::Query, Placement::Form] {
            let (dir, store) = store_with(&base, SignatureMethod::HmacSha1, placement);
            authorize(&store, false);
            let script = dir.path().join("post.dg");
            std::fs::write(
                &script,
                format!(
                    "params = Map();\nparams.put(\"status\", \"Hello Ladies + Gentlemen, a signed OAuth request!\");\n\
                     response = invokeurl\n[\n  url: \"{base}/1.1/statuses/update.json?include_entities=true\"\n  \
                     type: POST\n  parameters: params\n  connection: \"acct\"\n];\ninfo response;\n"
                ),
            )
            .expect("script");
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"))
                .arg("run")
                .arg(&script)
                .env("DLG_HOME", dir.path())
                .env_remove("DLG_MASTER_KEY")
                .output()
                .expect("dlg run");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(output.status.success(), "{placement:?}: {text}");
            assert!(
                text.contains("\"client_key\":\"deluge-consumer\""),
                "{placement:?}: {text}"
            );
        }
    }

    #[test]
    fn twitter_documentation_vector_replays_verbatim() {
        let peer = oauth1_peer::start(2_000_000_000);
        let keys = SigningKeys {
            consumer_key: "xvz1evFS4wEEPTGEFPHBog",
            consumer_secret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            token: Some("370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
            token_secret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        };
        let protocol = ProtocolParams {
            nonce: Some("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg".into()),
            timestamp: Some("1318622958".into()),
            include_version: true,
            ..ProtocolParams::default()
        };
        let status = "Hello Ladies + Gentlemen, a signed OAuth request!";
        let signature = compute_signature(
            "POST",
            &Url::parse("https://api.twitter.com/1.1/statuses/update.json?include_entities=true")
                .unwrap(),
            &[("status".into(), status.into())],
            &keys,
            SignatureMethod::HmacSha1,
            &protocol,
        );
        assert_eq!(signature.signature, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
        let response = reqwest::blocking::Client::new()
            .post(format!(
                "{}/1.1/statuses/update.json?include_entities=true",
                peer.base_url()
            ))
            .header("Host", "api.twitter.com")
            .header("X-Forwarded-Proto", "https")
            .header("Authorization", authorization_header(&signature, None))
            .form(&[("status", status)])
            .send()
            .expect("request");
        let code = response.status().as_u16();
        let body = response.text().unwrap_or_default();
        assert_eq!(code, 200, "{body}");
        assert!(
            body.contains("\"token\": \"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\""),
            "{body}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The `dlg` command line

mod cli {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Output, Stdio};

    fn dlg(home: &std::path::Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(args)
            .env("DLG_HOME", home)
            .env_remove("DLG_MASTER_KEY")
            .stdin(Stdio::null())
            .output()
            .expect("run dlg")
    }

    fn ok(output: &Output) -> String {
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "dlg failed: {text}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        text
    }

    fn setup(base: &str) -> tempfile::TempDir {
        let home = tempfile::tempdir().expect("temp dir");
        let secret = home.path().join("client.secret");
        std::fs::write(&secret, "conf-secret\n").expect("write the client secret file");
        let secret = format!("@{}", secret.display());
        ok(&dlg(
            home.path(),
            &[
                "service",
                "create",
                "oidc",
                "--auth",
                "oauth2",
                "--authorize-url",
                &format!("{base}/auth"),
                "--token-url",
                &format!("{base}/token"),
                "--revoke-url",
                &format!("{base}/token/revocation"),
                "--client-id",
                "conf",
                "--client-secret",
                &secret,
                "--scope-delimiter",
                "space",
                "--host",
                "127.0.0.1",
            ],
        ));
        ok(&dlg(
            home.path(),
            &[
                "connection",
                "create",
                "acct",
                "--service",
                "oidc",
                "--scope",
                "openid",
            ],
        ));
        home
    }

    /// Runs `dlg connection authorize acct [extra]`, waits for the URL on stderr, plays the
    /// browser, and either lets it reach the listener or pastes the redirected URL.
    fn authorize(home: &std::path::Path, paste: bool) -> (bool, String, String) {
        let mut args = vec!["connection", "authorize", "acct"];
        if paste {
            args.push("--no-browser");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(&args)
            .env("DLG_HOME", home)
            .env_remove("DLG_MASTER_KEY")
            .env("PATH", "/nonexistent")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run dlg");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut shown = String::new();
        let url = loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).expect("read stderr") == 0 {
                panic!("dlg printed no URL: {shown}");
            }
            shown.push_str(&line);
            if let Some(url) = line.trim().strip_prefix("http://127.0.0.1") {
                break Url::parse(&format!("http://127.0.0.1{url}")).expect("URL");
            }
        };
        let mut browser = Browser::new();
        let target = browser
            .walk_to_redirect(&url, Choice::Approve)
            .expect("redirect");
        let mut stdin = child.stdin.take().expect("stdin");
        if paste {
            writeln!(stdin, "{target}").expect("paste");
        } else {
            assert_eq!(browser.get(&target).status, 200);
        }
        drop(stdin);
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut rest).ok();
        let output = child.wait_with_output().expect("dlg output");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            shown + &rest,
        )
    }

    #[test]
    fn authorize_with_the_loopback_redirect_then_revoke() {
        let base = oidc::shared().base_url();
        let home = setup(&base);
        let (success, stdout, stderr) = authorize(home.path(), false);
        assert!(success, "{stdout}\n{stderr}");
        assert_eq!(stdout, "connection \"acct\" is connected\n");
        assert!(
            stderr.contains("Open this URL in a browser to authorize"),
            "{stderr}"
        );
        let shown = ok(&dlg(home.path(), &["connection", "show", "acct", "--json"]));
        assert!(shown.contains("\"connected\""), "{shown}");
        let revoked = ok(&dlg(home.path(), &["connection", "revoke", "acct"]));
        assert!(revoked.contains("was revoked"), "{revoked}");
        assert!(
            revoked.contains("the provider revoked the grant too"),
            "{revoked}"
        );
    }

    #[test]
    fn authorize_by_pasting_the_redirected_url() {
        let base = oidc::shared().base_url();
        let home = setup(&base);
        let (success, stdout, stderr) = authorize(home.path(), true);
        assert!(success, "{stdout}\n{stderr}");
        assert!(stderr.contains("paste the full URL"), "{stderr}");
        let deleted = ok(&dlg(home.path(), &["connection", "delete", "acct"]));
        assert!(
            deleted.starts_with("deleted connection \"acct\""),
            "{deleted}"
        );
        assert!(
            deleted.contains("the provider revoked the grant too"),
            "{deleted}"
        );
    }
}

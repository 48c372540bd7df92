//! OAuth 2 and OAuth 1 connections against real servers on 127.0.0.1: oidc-provider 9.13.3 and
//! an oauthlib 4.0.1 OAuth 1.0a provider, both installed on first use under target/test-servers.

mod support;

use std::thread::{self, JoinHandle};
use std::time::Duration;

use deluge_lang::connections::oauth2::flow::{self, CodeFlowOptions};
use deluge_lang::connections::oauth2::refresh::refresh;
use deluge_lang::connections::oauth2::revoke::{revoke, Revocation, TokenKind};
use deluge_lang::connections::oauth2::ui::AuthorizationUi;
use deluge_lang::connections::oauth2::{Endpoints, ScopeJoin, TokenSet};
use support::browser::{Browser, Choice};
use support::oidc;
use url::Url;

// ---------------------------------------------------------------------------------------------
// helpers

fn oidc_endpoints(base: &str, client_id: &str, secret: Option<&str>) -> Endpoints {
    Endpoints {
        client_id: client_id.to_owned(),
        client_secret: secret.map(str::to_owned),
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
        assert_eq!(
            query(&url, "code_challenge_method").as_deref(),
            Some("S256")
        );
        assert!(query(&url, "state").is_some_and(|s| s.len() >= 16));
        let (choice, redirect) = (self.choice, self.redirect);
        self.worker = Some(thread::spawn(move || {
            let mut browser = Browser::new();
            let mut target = browser
                .walk_to_redirect(&url, choice)
                .expect("the provider redirects back");
            assert_eq!(target.host_str(), Some("127.0.0.1"));
            if redirect == Redirect::WrongState {
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
                target.query_pairs_mut().clear().extend_pairs(pairs);
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
fn wrong_state_is_refused() {
    let mut ui = BrowserUi::new(Choice::Approve, Redirect::WrongState);
    let error = flow::authorization_code(
        &conf_endpoints(),
        &scopes(&["openid"]),
        quick_options(),
        &mut ui,
    )
    .unwrap_err();
    ui.finish();
    assert!(
        error.to_string().contains("state does not match"),
        "{error}"
    );
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
    let tokens = flow::device(&conf_endpoints(), &scopes(&["openid", "read"]), &mut ui)
        .expect("device flow");
    ui.finish();
    assert!(tokens.refresh_token.is_some());
    assert_eq!(userinfo(&base, &tokens.access_token).0, 200);
}

#[test]
fn device_grant_denied() {
    let mut ui = BrowserUi::new(Choice::Deny, Redirect::Deliver);
    let error = flow::device(&conf_endpoints(), &scopes(&["openid"]), &mut ui).unwrap_err();
    ui.finish();
    assert_eq!(error.provider_code(), Some("access_denied"), "{error}");
    assert!(error
        .to_string()
        .starts_with("the provider rejected the device authorization: access_denied"));
}

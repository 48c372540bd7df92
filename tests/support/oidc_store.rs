//! An OAuth 2 connection `acct` (service `oidc`) to the oidc-provider peer, authorized through
//! the real authorization-code flow into a PostgreSQL store, and the provider's refresh count:
//! shared by the fleet-wide refresh tests (`pg_store`, `serve_fleet`).

use std::thread::{self, JoinHandle};
use std::time::Duration;

use deluge_lang::connections::model::{
    now, ClientAuth, Connection, Grant, OAuth2Spec, ScopeDelimiter, Service, ServiceSecrets,
};
use deluge_lang::connections::oauth2::connection::{self as oauth2_connection, AuthorizeOptions};
use deluge_lang::connections::oauth2::flow::CodeFlowOptions;
use deluge_lang::connections::oauth2::ui::AuthorizationUi;
use deluge_lang::connections::{AuthSpec, Secret, Store};
use url::Url;

use super::browser::{Browser, Choice};
use super::peer::Peer;

/// Plays the browser for the authorization-code flow in a background thread.
struct BrowserUi {
    worker: Option<JoinHandle<()>>,
}

impl AuthorizationUi for BrowserUi {
    fn present_authorize_url(&mut self, url: &str) {
        let url = Url::parse(url).expect("authorize URL");
        self.worker = Some(thread::spawn(move || {
            let mut browser = Browser::new();
            let target = browser
                .walk_to_redirect(&url, Choice::Approve)
                .expect("the provider redirects back");
            assert_eq!(browser.get(&target).status, 200);
        }));
    }

    fn present_device_code(&mut self, _code: &str, _uri: &str, _complete: Option<&str>) {
        panic!("the tests authorize with the authorization-code flow");
    }
}

/// The database store of `tenant` (under master key `key`) with service `oidc` and connection `acct`,
/// authorized against the provider at `base`, its access token marked expired.
pub fn authorized(url: &str, tenant: &str, key: &str, base: &str) -> Store {
    let store = Store::postgres(url, tenant)
        .unwrap()
        .with_master_key(Some(key));
    let at = now();
    let spec = OAuth2Spec {
        grant: Grant::AuthorizationCode,
        client_id: "conf".to_owned(),
        authorize_url: Some(format!("{base}/auth")),
        token_url: format!("{base}/token"),
        refresh_url: None,
        revoke_url: Some(format!("{base}/token/revocation")),
        device_url: None,
        scope_delimiter: ScopeDelimiter::Space,
        token_prefix: "Bearer".to_owned(),
        auth_params: Default::default(),
        pkce: true,
        client_auth: ClientAuth::Basic,
    };
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
                client_secret: Some(Secret::from("conf-secret")),
            };
            tx.add_service(service, &secrets)?;
            let mut connection = Connection::new("acct", "Account", "oidc", at);
            connection.scopes = vec!["openid".into()];
            tx.add_connection(connection)
        })
        .unwrap();
    let mut ui = BrowserUi { worker: None };
    let options = AuthorizeOptions {
        code_flow: CodeFlowOptions {
            port: None,
            timeout: Duration::from_secs(30),
        },
        ..AuthorizeOptions::default()
    };
    oauth2_connection::authorize_connection(&store, "acct", options, &mut ui).expect("authorize");
    if let Some(worker) = ui.worker.take() {
        worker.join().unwrap();
    }
    expire(&store);
    store
}

/// Marks the access token of `acct` expired.
pub fn expire(store: &Store) {
    store
        .update(|tx| {
            let at = now().as_second() - 5;
            tx.connection_mut("acct")?.expires_at = Some(jiff::Timestamp::from_second(at).unwrap());
            Ok(())
        })
        .unwrap();
}

/// How many refresh-token grants the provider granted.
pub fn refreshes(peer: &Peer) -> usize {
    peer.stdout_lines()
        .iter()
        .filter(|line| line.starts_with("EVENT grant.success refresh_token"))
        .count()
}

//! OAuth 1 connections in the store: authorizing (three-legged flow) and signing requests.

use super::flow::{three_legged, Consumer, FlowOptions};
use super::signer::{sign_request, ProtocolParams, SigningKeys};
use crate::connections::ConnectionError;
use crate::connections::model::Placement;
use crate::connections::model::{now, AuthSpec, Credentials, OAuth1Spec, ServiceSecrets, Status};
use crate::connections::oauth2::ui::AuthorizationUi;
use crate::connections::secret::Secret;
use crate::connections::store::Store;
use crate::http::request::HttpRequest;

/// Runs the three-legged flow for connection `link_name` and stores the token credentials. On
/// failure the stored connection is left as it was.
pub fn authorize_connection(
    store: &Store,
    link_name: &str,
    options: FlowOptions,
    ui: &mut dyn AuthorizationUi,
) -> Result<(), ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let service = snapshot.require_service(&connection.service)?;
    let AuthSpec::OAuth1(spec) = &service.auth else {
        return Err(ConnectionError::InvalidInput(format!(
            "connection \"{link_name}\" does not use OAuth 1 (its service \"{}\" uses {})",
            service.link_name,
            service.auth.kind().title()
        )));
    };
    let secrets = snapshot.service_secrets(&service.link_name)?;
    let secret = consumer_secret(&secrets);
    let consumer = Consumer {
        request_token_url: &spec.request_token_url,
        authorize_url: &spec.authorize_url,
        access_token_url: &spec.access_token_url,
        key: &spec.consumer_key,
        secret: secret.expose(),
        method: spec.signature_method,
        placement: spec.placement,
    };
    let obtained =
        three_legged(&consumer, options, ui).map_err(|error| ConnectionError::OAuth {
            link_name: link_name.to_owned(),
            message: format!("authorization failed: {error}; the connection was left unchanged"),
        })?;
    let credentials = Credentials::OAuth1 {
        token: Secret::new(obtained.token.clone()),
        token_secret: Secret::new(obtained.secret.clone()),
    };
    store.update(|tx| {
        tx.set_credentials(link_name, Some(&credentials))?;
        let connection = tx.connection_mut(link_name)?;
        let at = now();
        connection.status = Status::Connected;
        connection.authorized_at = Some(at);
        connection.updated_at = at;
        Ok(())
    })
}

fn consumer_secret(secrets: &ServiceSecrets) -> Secret {
    secrets.client_secret.clone().unwrap_or_default()
}

/// Signs `request` with the connection's token credentials, over its final URL, method and
/// form body, placing the parameters where the service says.
pub fn inject(
    link_name: &str,
    spec: &OAuth1Spec,
    secrets: &ServiceSecrets,
    credentials: &Credentials,
    request: &mut HttpRequest,
) -> Result<(), ConnectionError> {
    let Credentials::OAuth1 {
        token,
        token_secret,
    } = credentials
    else {
        return Err(ConnectionError::UnusableCredential {
            link_name: link_name.into(),
            field: "credentials".into(),
            reason: "do not match the service's authentication type (OAuth 1)".into(),
        });
    };
    if spec.placement == Placement::Header
        && request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
    {
        return Err(ConnectionError::Conflict {
            link_name: link_name.into(),
            what: "the \"Authorization\" header".into(),
            fix: "remove \"Authorization\" from the invokeurl headers (the connection signs the \
                  request), or drop the connection key to send your own"
                .into(),
        });
    }
    let secret = consumer_secret(secrets);
    let keys = SigningKeys {
        consumer_key: &spec.consumer_key,
        consumer_secret: secret.expose(),
        token: Some(token.expose()),
        token_secret: token_secret.expose(),
    };
    let protocol = ProtocolParams {
        include_version: true,
        ..ProtocolParams::default()
    };
    sign_request(
        request,
        &keys,
        spec.signature_method,
        spec.placement,
        &protocol,
    );
    Ok(())
}

/// OAuth 1 has no standard revocation: forget the token credentials and mark the connection
/// disconnected.
pub fn revoke_connection(store: &Store, link_name: &str) -> Result<(), ConnectionError> {
    store.update(|tx| {
        tx.set_credentials(link_name, None)?;
        let connection = tx.connection_mut(link_name)?;
        connection.status = Status::Disconnected;
        connection.updated_at = now();
        Ok(())
    })
}

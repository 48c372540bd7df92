//! Basic connections (RFC 7617): `Authorization: Basic base64(username ":" password)`, UTF-8.

use crate::connections::ConnectionError;
use super::inject::add_header;
use super::model::Credentials;
use super::secret::Secret;
use crate::http::request::HttpRequest;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// The parameter names `dlg connection authorize` takes for Basic services.
pub const PARAMS: [&str; 2] = ["username", "password"];

/// The `Authorization` header value for a username and password.
pub fn header_value(username: &str, password: &str) -> Secret {
    let pair = Zeroizing::new(format!("{username}:{password}"));
    Secret::new(format!("Basic {}", BASE64.encode(pair.as_bytes())))
}

/// Adds the `Authorization` header.
pub fn inject(
    link_name: &str,
    username: &Secret,
    password: &Secret,
    request: &mut HttpRequest,
) -> Result<(), ConnectionError> {
    if let Err(reason) = check_username(username) {
        return Err(ConnectionError::UnusableCredential {
            link_name: link_name.into(),
            field: "username".into(),
            reason: reason.into(),
        });
    }
    let value = header_value(username.expose(), password.expose());
    add_header(link_name, request, "Authorization", &value)
}

/// Builds the credentials from the values entered at `authorize` (`username`, `password`).
pub fn credentials(
    service: &str,
    mut entered: BTreeMap<String, Secret>,
) -> Result<Credentials, ConnectionError> {
    if let Some(unknown) = entered.keys().find(|key| !PARAMS.contains(&key.as_str())) {
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{service}\" uses Basic authentication, which takes only the parameters \
             \"username\" and \"password\", not \"{unknown}\""
        )));
    }
    let mut take = |key: &str| {
        entered.remove(key).ok_or_else(|| {
            ConnectionError::InvalidInput(format!(
                "missing the {key}; pass --param {key}=- to type it at a prompt or read it \
                 from standard input, or --param {key}=@FILE to read it from a file"
            ))
        })
    };
    let username = take("username")?;
    let password = take("password")?;
    check_username(&username)
        .map_err(|reason| ConnectionError::InvalidInput(format!("the username {reason}")))?;
    Ok(Credentials::Basic { username, password })
}

fn check_username(username: &Secret) -> Result<(), &'static str> {
    let text = username.expose();
    if text.is_empty() {
        Err("is empty")
    } else if text.contains(':') {
        Err("contains ':', which Basic authentication does not allow in a username")
    } else if text.chars().any(char::is_control) {
        Err("contains a control character")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::{Body, Method};
    use url::Url;

    fn request() -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: Url::parse("https://h/basic-auth").unwrap(),
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    #[test]
    fn rfc_7617_vectors() {
        assert_eq!(
            header_value("Aladdin", "open sesame").expose(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(
            header_value("test", "123£").expose(),
            "Basic dGVzdDoxMjPCow=="
        );
    }

    #[test]
    fn injects_the_authorization_header() {
        let mut request = request();
        inject("c", &"test".into(), &"123£".into(), &mut request).unwrap();
        assert_eq!(
            request.headers,
            vec![(
                "Authorization".to_owned(),
                "Basic dGVzdDoxMjPCow==".to_owned()
            )]
        );
    }

    #[test]
    fn script_authorization_header_is_a_conflict() {
        let mut request = request();
        request
            .headers
            .push(("authorization".into(), "Bearer mine".into()));
        let error = inject("crm", &"u".into(), &"p".into(), &mut request)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("connection \"crm\" sets the \"Authorization\" header, but the request already has it"),
            "{error}"
        );
        assert_eq!(request.headers.len(), 1);
    }

    #[test]
    fn empty_password_is_allowed_but_colon_in_username_is_not() {
        let entered = |user: &str, pass: &str| {
            BTreeMap::from([
                ("username".to_owned(), Secret::from(user)),
                ("password".to_owned(), Secret::from(pass)),
            ])
        };
        assert!(credentials("s", entered("u", "")).is_ok());
        let error = credentials("s", entered("a:b", "p"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("contains ':'"), "{error}");
        assert!(!error.contains("a:b"), "{error}");
        let error = credentials("s", BTreeMap::new()).unwrap_err().to_string();
        assert!(error.contains("missing the username"), "{error}");
        let mut extra = entered("u", "p");
        extra.insert("token".into(), "x".into());
        let error = credentials("s", extra).unwrap_err().to_string();
        assert!(error.contains("not \"token\""), "{error}");
    }
}

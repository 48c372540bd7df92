//! API-key connections: each declared parameter goes into the query string, the form body or a
//! header, as the service defines.

use crate::connections::ConnectionError;
use super::inject::{add_form_field, add_header, add_query};
use super::model::{ApiKeyParam, Credentials, Placement};
use super::secret::Secret;
use crate::http::request::HttpRequest;
use std::collections::BTreeMap;

/// Adds every parameter of the service to the request.
pub fn inject(
    link_name: &str,
    params: &[ApiKeyParam],
    values: &BTreeMap<String, Secret>,
    request: &mut HttpRequest,
) -> Result<(), ConnectionError> {
    for param in params {
        let value = values
            .get(&param.key)
            .ok_or_else(|| ConnectionError::UnusableCredential {
                link_name: link_name.into(),
                field: format!("value of parameter \"{}\"", param.key),
                reason: "is missing (the service gained a parameter after authorization)".into(),
            })?;
        match param.placement {
            Placement::Query => add_query(link_name, request, &param.key, value)?,
            Placement::Form => add_form_field(link_name, request, &param.key, value)?,
            Placement::Header => add_header(link_name, request, &param.key, value)?,
        }
    }
    Ok(())
}

/// Builds the credentials from the values entered at `authorize`: one non-empty value for every
/// declared parameter, no others.
pub fn credentials(
    service: &str,
    params: &[ApiKeyParam],
    mut entered: BTreeMap<String, Secret>,
) -> Result<Credentials, ConnectionError> {
    if let Some(unknown) = entered
        .keys()
        .find(|key| !params.iter().any(|param| &param.key == *key))
    {
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{service}\" has no parameter \"{unknown}\"; its parameters are {}",
            param_list(params)
        )));
    }
    let mut values = BTreeMap::new();
    for param in params {
        let value = entered.remove(&param.key).ok_or_else(|| {
            ConnectionError::InvalidInput(format!(
                "missing a value for parameter \"{}\" ({}); pass --param {}=- to type it at a \
                 hidden prompt or read it from standard input, or --param {}=@FILE to read it \
                 from a file",
                param.key, param.label, param.key, param.key
            ))
        })?;
        check_value(param, &value)?;
        values.insert(param.key.clone(), value);
    }
    Ok(Credentials::ApiKey { values })
}

/// Checks a parameter declared with `dlg service create --param KEY:PLACEMENT[:LABEL]`.
pub fn check_param(param: &ApiKeyParam) -> Result<(), ConnectionError> {
    let invalid = |reason: &str| {
        ConnectionError::InvalidInput(format!("parameter key {:?} {reason}", param.key))
    };
    if param.key.is_empty() {
        return Err(invalid("is empty"));
    }
    if param.key.chars().any(char::is_control) {
        return Err(invalid("contains a control character"));
    }
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if param.placement == Placement::Header && !param.key.chars().all(is_token_char) {
        return Err(invalid(
            "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)",
        ));
    }
    Ok(())
}

fn check_value(param: &ApiKeyParam, value: &Secret) -> Result<(), ConnectionError> {
    if value.is_empty() {
        return Err(ConnectionError::InvalidInput(format!(
            "the value of parameter \"{}\" is empty",
            param.key
        )));
    }
    if param.placement == Placement::Header && value.expose().contains(['\r', '\n', '\0']) {
        return Err(ConnectionError::InvalidInput(format!(
            "the value of header parameter \"{}\" contains a line break or NUL",
            param.key
        )));
    }
    Ok(())
}

fn param_list(params: &[ApiKeyParam]) -> String {
    if params.is_empty() {
        return "none".into();
    }
    params
        .iter()
        .map(|param| format!("\"{}\"", param.key))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::{Body, Method};
    use url::Url;

    fn param(key: &str, placement: Placement) -> ApiKeyParam {
        ApiKeyParam {
            key: key.into(),
            label: key.into(),
            placement,
        }
    }

    fn request(url: &str) -> HttpRequest {
        HttpRequest {
            method: Method::Post,
            url: Url::parse(url).unwrap(),
            headers: vec![("Accept".into(), "*/*".into())],
            body: Body::Empty,
        }
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, Secret> {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), Secret::from(*value)))
            .collect()
    }

    #[test]
    fn places_each_parameter() {
        let params = [
            param("authtoken", Placement::Query),
            param("X-Api-Key", Placement::Header),
            param("scope", Placement::Form),
        ];
        let values = values(&[("authtoken", "a b&c"), ("X-Api-Key", "k1"), ("scope", "s1")]);
        let mut request = request("https://api.example.com/v1?page=2");
        inject("crm", &params, &values, &mut request).unwrap();
        assert_eq!(
            request.url.as_str(),
            "https://api.example.com/v1?page=2&authtoken=a+b%26c"
        );
        assert_eq!(request.headers[1], ("X-Api-Key".into(), "k1".into()));
        assert!(
            matches!(&request.body, Body::Form(pairs) if pairs == &[("scope".to_string(), "s1".to_string())])
        );
    }

    #[test]
    fn form_field_joins_existing_form_and_multipart() {
        let params = [param("key", Placement::Form)];
        let values = values(&[("key", "v")]);
        let mut form = request("https://h/");
        form.body = Body::Form(vec![("a".into(), "1".into())]);
        inject("c", &params, &values, &mut form).unwrap();
        assert!(matches!(&form.body, Body::Form(pairs) if pairs.len() == 2));
        let mut multipart = request("https://h/");
        multipart.body = Body::Multipart(vec![]);
        inject("c", &params, &values, &mut multipart).unwrap();
        assert!(matches!(&multipart.body, Body::Multipart(parts) if parts[0].bytes == b"v"));
    }

    #[test]
    fn conflicts_are_errors_without_the_secret() {
        let values = values(&[("X-Api-Key", "sekrit")]);
        let mut request = request("https://h/?X-Api-Key=mine");
        request.headers.push(("x-api-key".into(), "mine".into()));
        let error = inject(
            "crm",
            &[param("X-Api-Key", Placement::Header)],
            &values,
            &mut request,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("connection \"crm\" sets the \"X-Api-Key\" header"),
            "{error}"
        );
        let error = inject(
            "crm",
            &[param("X-Api-Key", Placement::Query)],
            &values,
            &mut request,
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("query parameter \"X-Api-Key\""), "{error}");
        assert!(!error.contains("sekrit"));
    }

    #[test]
    fn raw_body_cannot_take_a_form_field() {
        let mut request = request("https://h/");
        request.body = Body::Raw {
            bytes: b"{}".to_vec(),
            content_type: Some("application/json".into()),
        };
        let error = inject(
            "crm",
            &[param("k", Placement::Form)],
            &values(&[("k", "v")]),
            &mut request,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("puts its parameter \"k\" in a form body"),
            "{error}"
        );
    }

    #[test]
    fn header_value_with_newline_is_refused() {
        let mut request = request("https://h/");
        let error = inject(
            "crm",
            &[param("X-Key", Placement::Header)],
            &values(&[("X-Key", "a\r\nInjected: 1")]),
            &mut request,
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("line break"), "{error}");
        assert!(!error.contains("Injected"), "{error}");
    }

    #[test]
    fn credentials_need_every_declared_value() {
        let params = [param("a", Placement::Query), param("b", Placement::Header)];
        let error = credentials("svc", &params, values(&[("a", "1")]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("missing a value for parameter \"b\""),
            "{error}"
        );
        let error = credentials(
            "svc",
            &params,
            values(&[("a", "1"), ("b", "2"), ("c", "3")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("has no parameter \"c\"; its parameters are \"a\", \"b\""),
            "{error}"
        );
        let error = credentials("svc", &params, values(&[("a", ""), ("b", "2")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("is empty"), "{error}");
        assert!(credentials("svc", &params, values(&[("a", "1"), ("b", "2")])).is_ok());
    }

    #[test]
    fn header_param_keys_must_be_tokens() {
        assert!(check_param(&param("X-Api-Key", Placement::Header)).is_ok());
        assert!(check_param(&param("api key", Placement::Query)).is_ok());
        let error = check_param(&param("api key", Placement::Header)).unwrap_err();
        assert!(error.to_string().contains("not a valid header name"));
    }
}

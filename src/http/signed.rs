//! Rules every request signed by a connection obeys, whoever signs it (the file store or an
//! embedder's own [`ConnectionAuthorizer`](crate::connections::ConnectionAuthorizer)).
//!
//! The allowed-host check looks at the URL. Headers that tell a shared front end (CDN, reverse
//! proxy, virtual hosting) which site to route to would let a script pass that check with one
//! host and have the credentials delivered to another, so a signed request may not carry them.

use super::request::HttpRequest;

/// Headers that choose the site a request reaches, besides its URL.
const ROUTING_HEADERS: [&str; 7] = [
    "host",
    "forwarded",
    "x-forwarded-host",
    "x-forwarded-server",
    "x-host",
    "x-original-host",
    "x-http-host-override",
];

/// Refuses a request to be signed by connection `link_name` when the script set a header that
/// routes it to a site other than its URL's.
pub fn check_routing_headers(link_name: &str, request: &HttpRequest) -> Result<(), String> {
    let Some((name, _)) = request
        .headers
        .iter()
        .find(|(name, _)| ROUTING_HEADERS.contains(&name.trim().to_ascii_lowercase().as_str()))
    else {
        return Ok(());
    };
    Err(format!(
        "invokeurl: the header \"{}\" cannot be set on a request signed by connection \
         \"{link_name}\": a front end that routes by it could deliver the credentials to a \
         different site than the URL's host, which is the only host the connection checks; \
         remove the header and put the host in the URL",
        name.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::Method;

    #[test]
    fn routing_headers_are_refused_in_any_case() {
        let mut request = HttpRequest::new(
            Method::Get,
            url::Url::parse("https://api.example.com/").unwrap(),
        );
        request.set_header("Accept", "application/json");
        assert!(check_routing_headers("crm", &request).is_ok());
        for name in ["Host", "FORWARDED", "x-forwarded-host"] {
            let mut routed = request.clone();
            routed.set_header(name, "evil.example");
            let error = check_routing_headers("crm", &routed).unwrap_err();
            assert!(
                error.starts_with(&format!(
                    "invokeurl: the header \"{name}\" cannot be set on a request signed by \
                     connection \"crm\""
                )),
                "{error}"
            );
        }
    }
}

//! `application/x-www-form-urlencoded` encoding, for form bodies and query strings.

use url::form_urlencoded;
use url::Url;

/// Encodes `pairs` as a form body: `a=1&b=x+y`.
pub fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Appends `pairs` to the query string of `url`, after any query it already has.
pub fn append_query(url: &mut Url, pairs: &[(String, String)]) {
    if pairs.is_empty() {
        return;
    }
    url.query_pairs_mut().extend_pairs(pairs);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_characters() {
        let pairs = vec![
            ("a b".to_owned(), "x&y=z".to_owned()),
            ("é".to_owned(), "1".to_owned()),
        ];
        assert_eq!(encode(&pairs), "a+b=x%26y%3Dz&%C3%A9=1");
    }

    #[test]
    fn appends_after_an_existing_query() {
        let mut url = Url::parse("http://h/p?x=1").unwrap();
        append_query(&mut url, &[("y".into(), "2 3".into())]);
        assert_eq!(url.as_str(), "http://h/p?x=1&y=2+3");
    }
}

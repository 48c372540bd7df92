use super::*;

const RFC_KEY: &str = "dpf43f3p2l4k3l03";
const RFC_SECRET: &str = "kd94hf93k423kf44";

fn fixed(nonce: &str, timestamp: &str) -> ProtocolParams {
    ProtocolParams {
        nonce: Some(nonce.to_owned()),
        timestamp: Some(timestamp.to_owned()),
        ..ProtocolParams::default()
    }
}

fn url(text: &str) -> Url {
    Url::parse(text).expect("test URL")
}

#[test]
fn percent_encoding_follows_rfc_5849() {
    assert_eq!(percent_encode("abcABC123-._~"), "abcABC123-._~");
    assert_eq!(percent_encode("a b+c/=&%"), "a%20b%2Bc%2F%3D%26%25");
    assert_eq!(percent_encode("☃"), "%E2%98%83");
    assert_eq!(percent_encode("*!'()"), "%2A%21%27%28%29");
}

#[test]
fn base_string_uri_normalises_scheme_host_and_port() {
    assert_eq!(
        base_string_uri(&url("HTTP://EXAMPLE.COM:80/r%20v/X?id=123#frag")),
        "http://example.com/r%20v/X"
    );
    assert_eq!(
        base_string_uri(&url("https://www.example.net:8080/?q=1")),
        "https://www.example.net:8080/"
    );
    assert_eq!(
        base_string_uri(&url("https://example.net:443")),
        "https://example.net/"
    );
}

#[test]
fn normalisation_sorts_by_encoded_name_then_value() {
    let params = vec![
        ("b5".to_owned(), "=%3D".to_owned()),
        ("a3".to_owned(), "a".to_owned()),
        ("c@".to_owned(), String::new()),
        ("a2".to_owned(), "r b".to_owned()),
        ("a3".to_owned(), "2 q".to_owned()),
    ];
    assert_eq!(
        normalize_parameters(&params),
        "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40="
    );
}

#[test]
fn rfc_5849_vector_1_temporary_credentials() {
    let keys = SigningKeys {
        consumer_key: RFC_KEY,
        consumer_secret: RFC_SECRET,
        token: None,
        token_secret: "",
    };
    let mut protocol = fixed("wIjqoS", "137131200");
    protocol.callback = Some("http://printer.example.com/ready".to_owned());
    let sig = compute_signature(
        "POST",
        &url("https://photos.example.net/initiate"),
        &[],
        &keys,
        SignatureMethod::HmacSha1,
        &protocol,
    );
    assert_eq!(
        sig.base_string,
        "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DwIjqoS%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131200"
    );
    assert_eq!(sig.signature, "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
    let header = authorization_header(&sig, Some("Photos"));
    assert!(header.starts_with("OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\""));
    assert!(header.contains("oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\""));
    assert!(header.contains("oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\""));
}

#[test]
fn rfc_5849_vector_2_token_credentials() {
    let keys = SigningKeys {
        consumer_key: RFC_KEY,
        consumer_secret: RFC_SECRET,
        token: Some("hh5s93j4hdidpola"),
        token_secret: "hdhd0244k9j7ao03",
    };
    let mut protocol = fixed("walatlh", "137131201");
    protocol.verifier = Some("hfdp7dh39dks9884".to_owned());
    let sig = compute_signature(
        "POST",
        &url("https://photos.example.net/token"),
        &[],
        &keys,
        SignatureMethod::HmacSha1,
        &protocol,
    );
    assert_eq!(
        sig.base_string,
        "POST&https%3A%2F%2Fphotos.example.net%2Ftoken&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dwalatlh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dhh5s93j4hdidpola%26oauth_verifier%3Dhfdp7dh39dks9884"
    );
    assert_eq!(sig.signature, "gKgrFCywp7rO0OXSjdot/IHF7IU=");
    assert!(authorization_header(&sig, None)
        .contains("oauth_signature=\"gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D\""));
}

fn rfc_vector_3_request() -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: url("http://photos.example.net/photos?file=vacation.jpg&size=original"),
        headers: Vec::new(),
        body: Body::Empty,
    }
}

fn rfc_vector_3_keys() -> SigningKeys<'static> {
    SigningKeys {
        consumer_key: RFC_KEY,
        consumer_secret: RFC_SECRET,
        token: Some("nnch734d00sl2jdk"),
        token_secret: "pfkkdhi9sl3r4s00",
    }
}

#[test]
fn rfc_5849_vector_3_protected_resource() {
    let request = rfc_vector_3_request();
    let sig = compute_signature(
        "GET",
        &request.url,
        &[],
        &rfc_vector_3_keys(),
        SignatureMethod::HmacSha1,
        &fixed("chapoH", "137131202"),
    );
    assert_eq!(
        sig.base_string,
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
    );
    assert_eq!(sig.signature, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

#[test]
fn rfc_5849_vector_3_in_the_header_of_a_request() {
    let mut request = rfc_vector_3_request();
    let mut protocol = fixed("chapoH", "137131202");
    protocol.realm = Some("Photos".to_owned());
    sign_request(
        &mut request,
        &rfc_vector_3_keys(),
        SignatureMethod::HmacSha1,
        Placement::Header,
        &protocol,
    );
    let (_, header) = &request.headers[0];
    assert_eq!(
        header,
        "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""
    );
    assert_eq!(request.url.query(), Some("file=vacation.jpg&size=original"));
}

fn twitter_keys() -> SigningKeys<'static> {
    SigningKeys {
        consumer_key: "xvz1evFS4wEEPTGEFPHBog",
        consumer_secret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        token: Some("370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
        token_secret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    }
}

fn twitter_request() -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: url("https://api.twitter.com/1.1/statuses/update.json?include_entities=true"),
        headers: Vec::new(),
        body: Body::Form(vec![(
            "status".to_owned(),
            "Hello Ladies + Gentlemen, a signed OAuth request!".to_owned(),
        )]),
    }
}

fn twitter_protocol() -> ProtocolParams {
    let mut protocol = fixed("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", "1318622958");
    protocol.include_version = true;
    protocol
}

#[test]
fn twitter_documentation_vector() {
    let request = twitter_request();
    let Body::Form(form) = &request.body else {
        panic!("form body expected");
    };
    let sig = compute_signature(
        "POST",
        &request.url,
        form,
        &twitter_keys(),
        SignatureMethod::HmacSha1,
        &twitter_protocol(),
    );
    assert_eq!(
        sig.base_string,
        "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
    );
    assert_eq!(sig.signature, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    assert!(authorization_header(&sig, None)
        .contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""));
}

#[test]
fn twitter_vector_from_a_raw_urlencoded_body() {
    let mut request = twitter_request();
    request.body = Body::Raw {
        bytes: b"status=Hello+Ladies+%2B+Gentlemen%2C+a+signed+OAuth+request%21".to_vec(),
        content_type: Some("application/x-www-form-urlencoded; charset=utf-8".to_owned()),
    };
    sign_request(
        &mut request,
        &twitter_keys(),
        SignatureMethod::HmacSha1,
        Placement::Header,
        &twitter_protocol(),
    );
    assert!(request.headers[0]
        .1
        .contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""));
}

#[test]
fn query_placement_appends_signed_parameters() {
    let mut request = rfc_vector_3_request();
    sign_request(
        &mut request,
        &rfc_vector_3_keys(),
        SignatureMethod::HmacSha1,
        Placement::Query,
        &fixed("chapoH", "137131202"),
    );
    assert!(request.headers.is_empty());
    let query = request.url.query().unwrap_or_default();
    assert!(query.starts_with("file=vacation.jpg&size=original&oauth_consumer_key="));
    assert!(query.ends_with("&oauth_signature=MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"));
}

#[test]
fn form_placement_adds_parameters_to_the_body() {
    let mut request = twitter_request();
    sign_request(
        &mut request,
        &twitter_keys(),
        SignatureMethod::HmacSha1,
        Placement::Form,
        &twitter_protocol(),
    );
    let Body::Form(pairs) = &request.body else {
        panic!("form body expected");
    };
    assert_eq!(pairs[0].0, "status");
    assert!(pairs.contains(&(
        "oauth_signature".to_owned(),
        "hCtSmYh+iHYCEqBWrE7C7hYmtUk=".to_owned()
    )));
    assert_eq!(request.url.query(), Some("include_entities=true"));
}

#[test]
fn form_placement_on_get_falls_back_to_the_query() {
    let mut request = rfc_vector_3_request();
    sign_request(
        &mut request,
        &rfc_vector_3_keys(),
        SignatureMethod::HmacSha1,
        Placement::Form,
        &fixed("chapoH", "137131202"),
    );
    assert!(matches!(request.body, Body::Empty));
    assert!(request
        .url
        .query()
        .unwrap_or_default()
        .contains("oauth_signature="));
}

#[test]
fn multipart_body_is_not_signed_and_placement_moves_to_query() {
    let mut request = twitter_request();
    request.body = Body::Multipart(Vec::new());
    sign_request(
        &mut request,
        &twitter_keys(),
        SignatureMethod::HmacSha1,
        Placement::Form,
        &twitter_protocol(),
    );
    assert!(request
        .url
        .query()
        .unwrap_or_default()
        .contains("oauth_signature="));
}

#[test]
fn plaintext_signature_is_the_encoded_key() {
    let keys = SigningKeys {
        consumer_key: "ck",
        consumer_secret: "a&b c",
        token: Some("t"),
        token_secret: "s/2",
    };
    let sig = compute_signature(
        "GET",
        &url("https://example.com/"),
        &[],
        &keys,
        SignatureMethod::Plaintext,
        &fixed("n", "1700000000"),
    );
    assert_eq!(sig.signature, "a%26b%20c&s%2F2");
}

#[test]
fn hmac_sha256_signature_matches_an_independent_computation() {
    // Same base string as RFC vector 3, signed with HMAC-SHA256; the expected value was
    // computed with Python's hmac module.
    let sig = compute_signature(
        "GET",
        &rfc_vector_3_request().url,
        &[],
        &rfc_vector_3_keys(),
        SignatureMethod::HmacSha256,
        &fixed("chapoH", "137131202"),
    );
    assert!(sig
        .base_string
        .contains("oauth_signature_method%3DHMAC-SHA256"));
    assert_eq!(sig.signature, HMAC_SHA256_VECTOR_3);
}

const HMAC_SHA256_VECTOR_3: &str = "HtMwoX2zenlFjgGg/SNEoKEQmL7CzxYFEKzs7er044Y=";

#[test]
fn generated_nonce_and_timestamp_are_well_formed() {
    let sig = compute_signature(
        "GET",
        &url("https://example.com/"),
        &[],
        &rfc_vector_3_keys(),
        SignatureMethod::HmacSha1,
        &ProtocolParams::default(),
    );
    let value = |name: &str| {
        sig.oauth_params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("oauth_timestamp").len(), 10);
    assert_eq!(value("oauth_nonce").len(), 32);
    assert_ne!(value("oauth_nonce"), random_nonce());
}

#[test]
fn debug_output_hides_secrets() {
    let keys = rfc_vector_3_keys();
    let shown = format!("{keys:?}");
    assert!(!shown.contains("pfkkdhi9sl3r4s00") && !shown.contains(RFC_SECRET));
    assert!(!shown.contains("nnch734d00sl2jdk"));
}

//! A minimal scripted "browser" for the provider's login and consent pages: plain HTTP with a
//! cookie jar, following redirects by hand and submitting the forms it finds. It drives only
//! oidc-provider's development interaction pages; every OAuth endpoint is the provider's own.

use std::collections::BTreeMap;

use regex::Regex;
use reqwest::blocking::Client;
use url::Url;

/// What the user does on the consent page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Log in and approve.
    Approve,
    /// Log in, then cancel on the consent page.
    Deny,
}

/// One page as fetched.
pub struct Page {
    /// The URL fetched.
    pub url: Url,
    /// Status code.
    pub status: u16,
    /// `Location`, resolved against `url`.
    pub location: Option<Url>,
    /// Body text.
    pub body: String,
}

/// A cookie-keeping HTTP client that never follows redirects by itself.
pub struct Browser {
    client: Client,
    cookies: BTreeMap<String, String>,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    /// A fresh browser with an empty cookie jar.
    pub fn new() -> Browser {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .expect("HTTP client");
        Browser {
            client,
            cookies: BTreeMap::new(),
        }
    }

    /// GET `url`.
    pub fn get(&mut self, url: &Url) -> Page {
        let request = self.client.get(url.clone());
        self.send(url, request)
    }

    /// POST a form to `url`.
    pub fn post_form(&mut self, url: &Url, fields: &[(String, String)]) -> Page {
        let request = self.client.post(url.clone()).form(fields);
        self.send(url, request)
    }

    fn send(&mut self, url: &Url, mut request: reqwest::blocking::RequestBuilder) -> Page {
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header("Cookie", jar.join("; "));
        }
        let response = request
            .send()
            .unwrap_or_else(|e| panic!("browser request to {url} failed: {e}"));
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies
                    .insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| url.join(v).ok());
        let body = response.text().unwrap_or_default();
        Page {
            url: url.clone(),
            status,
            location,
            body,
        }
    }

    /// Walks the provider's pages from `start`: follows redirects within the provider, logs in as
    /// `alice`, approves or cancels, and stops at the first redirect leaving the provider (the
    /// loopback redirect), which it returns without fetching. `None` if no redirect left it.
    pub fn walk_to_redirect(&mut self, start: &Url, choice: Choice) -> Option<Url> {
        let origin = start.origin();
        let mut page = self.get(start);
        for _ in 0..20 {
            if let Some(location) = page.location.clone() {
                if location.origin() != origin {
                    return Some(location);
                }
                page = self.get(&location);
                continue;
            }
            if page.status != 200 {
                panic!(
                    "provider page {} answered {}: {}",
                    page.url, page.status, page.body
                );
            }
            page = self.act_on(&page, choice)?;
        }
        panic!("too many steps walking the provider's pages from {start}");
    }

    /// Fills and submits the page's form (or follows its cancel link when denying consent).
    fn act_on(&mut self, page: &Page, choice: Choice) -> Option<Page> {
        let form = Form::parse(&page.body, &page.url)?;
        let is_login = form
            .fields
            .iter()
            .any(|(k, v)| k == "prompt" && v == "login");
        let is_consent = form
            .fields
            .iter()
            .any(|(k, v)| k == "prompt" && v == "consent");
        if choice == Choice::Deny && is_consent {
            let abort = abort_link(&page.body, &page.url).expect("consent page has a cancel link");
            return Some(self.get(&abort));
        }
        let mut fields = form.fields.clone();
        if is_login {
            fields.push(("login".into(), "alice".into()));
            fields.push(("password".into(), "any".into()));
        }
        if choice == Choice::Deny && form.has_abort_button {
            // The device confirmation page: abort, and the walk ends on the "interrupted" page.
            fields.push(("abort".into(), "yes".into()));
            let page = self.post_form(&form.action, &fields);
            assert_eq!(page.status, 200, "abort answered {}", page.status);
            return None;
        }
        Some(self.post_form(&form.action, &fields))
    }
}

struct Form {
    action: Url,
    fields: Vec<(String, String)>,
    has_abort_button: bool,
}

impl Form {
    fn parse(html: &str, base: &Url) -> Option<Form> {
        let form_re = Regex::new(r#"(?s)<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>"#).ok()?;
        let input_re =
            Regex::new(r#"<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)""#)
                .ok()?;
        let captures = form_re.captures(html)?;
        let action = base.join(&unescape(&captures[1])).ok()?;
        let inner = &captures[2];
        let fields = input_re
            .captures_iter(inner)
            .map(|c| (unescape(&c[1]), unescape(&c[2])))
            .collect();
        let has_abort_button = html.contains(r#"name="abort""#);
        Some(Form {
            action,
            fields,
            has_abort_button,
        })
    }
}

fn abort_link(html: &str, base: &Url) -> Option<Url> {
    let re = Regex::new(r#"href="([^"]*/abort)""#).ok()?;
    base.join(&unescape(&re.captures(html)?[1])).ok()
}

fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

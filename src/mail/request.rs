//! `sendmail [ ... ]` parameters -> a checked [`MailRequest`] (zoho-tasks.md §3.1).
//!
//! Keys arrive in lower case with single spaces (`reply to`, `content type`; `-` also accepted).
//! Every error names the key, says what it got and what it takes.

use lettre::message::Mailbox;

use crate::eval::render::display;
use crate::eval::value::{FileValue, Value};

/// The body's content type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `text/html; charset=UTF-8` (the default).
    Html,
    /// `text/plain; charset=UTF-8`.
    Plain,
}

/// One attached file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The file name shown to the recipient.
    pub name: String,
    /// Its MIME type.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A mail as the script asked for it, checked.
#[derive(Clone, Debug)]
pub struct MailRequest {
    /// `from` (required).
    pub from: Mailbox,
    /// `to` (required, one or more).
    pub to: Vec<Mailbox>,
    /// `cc`.
    pub cc: Vec<Mailbox>,
    /// `bcc`: in the SMTP envelope only, never in a header.
    pub bcc: Vec<Mailbox>,
    /// `reply to`.
    pub reply_to: Vec<Mailbox>,
    /// `subject` (empty when absent).
    pub subject: String,
    /// `message` (empty when absent).
    pub message: String,
    /// `content type`.
    pub kind: BodyKind,
    /// `attachments`.
    pub attachments: Vec<Attachment>,
}

/// The keys `sendmail` takes, for messages.
const KEYS: &str = "from, to, cc, bcc, reply to, subject, message, content type, attachments";

/// The message for Creator-only attachment kinds.
pub const CREATOR_ONLY: &str =
    "Creator record templates/report views are not available outside Zoho";

impl MailRequest {
    /// Checks the parameters of one `sendmail`.
    pub fn from_params(params: &[(Box<str>, Value)]) -> Result<MailRequest, String> {
        let mut from = None;
        let mut to = Vec::new();
        let mut cc = Vec::new();
        let mut bcc = Vec::new();
        let mut reply_to = Vec::new();
        let mut subject = String::new();
        let mut message = String::new();
        let mut kind = BodyKind::Html;
        let mut attachments = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in params {
            let key = canonical_key(key)?;
            let single = matches!(key, "from" | "subject" | "message" | "content type");
            if single && seen.contains(&key) {
                return Err(format!("sendmail: `{key}` is given twice; give it once"));
            }
            seen.push(key);
            match key {
                "from" => from = Some(single_address(key, value)?),
                "to" => to.extend(addresses(key, value)?),
                "cc" => cc.extend(addresses(key, value)?),
                "bcc" => bcc.extend(addresses(key, value)?),
                "reply to" => reply_to.extend(addresses(key, value)?),
                "subject" => subject = scalar_text(key, value)?,
                "message" => message = scalar_text(key, value)?,
                "content type" => kind = body_kind(value)?,
                _ => collect_attachments(value, &mut attachments)?,
            }
        }
        let from = from.ok_or_else(|| {
            "sendmail: `from` is missing; give the sender, e.g. from: zoho.adminuserid".to_owned()
        })?;
        if to.is_empty() {
            return Err(
                "sendmail: `to` is missing or empty; give one or more recipients, e.g. \
                 to: \"ada@example.com\" or a LIST of addresses"
                    .to_owned(),
            );
        }
        Ok(MailRequest {
            from,
            to,
            cc,
            bcc,
            reply_to,
            subject,
            message,
            kind,
            attachments,
        })
    }

    /// Every recipient of the envelope: to, cc and bcc.
    pub fn recipients(&self) -> impl Iterator<Item = &Mailbox> {
        self.to.iter().chain(&self.cc).chain(&self.bcc)
    }
}

fn canonical_key(key: &str) -> Result<&'static str, String> {
    let normal: String = key
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .collect();
    Ok(match normal.as_str() {
        "from" => "from",
        "to" => "to",
        "cc" => "cc",
        "bcc" => "bcc",
        "replyto" => "reply to",
        "subject" => "subject",
        "message" => "message",
        "contenttype" => "content type",
        "attachments" | "attachment" => "attachments",
        _ => {
            return Err(format!(
                "sendmail: unknown key `{key}`; the keys are {KEYS}"
            ))
        }
    })
}

/// TEXT (comma- or semicolon-separated) or a LIST of TEXT -> mailboxes.
fn addresses(key: &str, value: &Value) -> Result<Vec<Mailbox>, String> {
    let mut texts = Vec::new();
    match value {
        Value::Text(text) => texts.push(text.to_string()),
        Value::List(list) => {
            for item in list.borrow().iter() {
                match item {
                    Value::Text(text) => texts.push(text.to_string()),
                    Value::Null => {}
                    other => return Err(wrong_type(key, other, "TEXT or a LIST of TEXT")),
                }
            }
        }
        Value::Null => {}
        other => return Err(wrong_type(key, other, "TEXT or a LIST of TEXT")),
    }
    let mut mailboxes = Vec::new();
    for text in &texts {
        for part in text
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            mailboxes.push(parse_mailbox(key, part)?);
        }
    }
    Ok(mailboxes)
}

fn single_address(key: &str, value: &Value) -> Result<Mailbox, String> {
    let Value::Text(text) = value else {
        return Err(match value {
            Value::Null => "sendmail: `from` is null; give the sender's address, e.g. from: \
                 zoho.adminuserid (set it with --system zoho.adminuserid=ADDRESS)"
                .to_owned(),
            other => wrong_type(key, other, "TEXT"),
        });
    };
    parse_mailbox(key, text.trim())
}

fn parse_mailbox(key: &str, text: &str) -> Result<Mailbox, String> {
    text.parse::<Mailbox>().map_err(|e| {
        format!("sendmail: `{key}` has an invalid address \"{text}\" ({e}); write name@domain")
    })
}

/// TEXT, or a NUMBER/DECIMAL/BOOLEAN/DATE-TIME shown as text; null is empty.
fn scalar_text(key: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::Null => Ok(String::new()),
        Value::Text(_)
        | Value::Number(_)
        | Value::Decimal(_)
        | Value::Bool(_)
        | Value::DateTime(_) => Ok(display(value)),
        other => Err(wrong_type(key, other, "TEXT")),
    }
}

fn body_kind(value: &Value) -> Result<BodyKind, String> {
    let Value::Text(text) = value else {
        return Err(wrong_type("content type", value, "TEXT"));
    };
    let lower = text.trim().to_ascii_lowercase();
    let essence = lower.split(';').next().unwrap_or("").trim();
    match essence {
        "html" | "text/html" => Ok(BodyKind::Html),
        "plain" | "text" | "text/plain" => Ok(BodyKind::Plain),
        _ => Err(format!(
            "sendmail: `content type` is \"{}\"; use HTML (text/html) or plain text \
             (text/plain, plain, text)",
            text.as_str()
        )),
    }
}

/// `attachments`: a FILE, `file:FILE` (a MAP from the parser), or a LIST of those.
fn collect_attachments(value: &Value, into: &mut Vec<Attachment>) -> Result<(), String> {
    match value {
        Value::File(file) => into.push(attachment(file)),
        Value::List(list) => {
            for item in list.borrow().iter() {
                collect_attachments(item, into)?;
            }
        }
        Value::Map(map) => {
            let map = map.borrow();
            if let Some(file) = map.get(&Value::text("file")) {
                return match file {
                    Value::File(file) => {
                        into.push(attachment(file));
                        Ok(())
                    }
                    Value::List(_) => collect_attachments(file, into),
                    other => Err(format!(
                        "sendmail: `attachments` file: needs a FILE (an invokeurl response \
                         read as FILE, or text.toFile(\"name.txt\")), not {}",
                        other.value_type().name()
                    )),
                };
            }
            if map.contains_key(&Value::text("template")) || map.contains_key(&Value::text("view"))
            {
                return Err(format!("sendmail: `attachments`: {CREATOR_ONLY}"));
            }
            return Err(
                "sendmail: `attachments` takes file:FILE (or a FILE, or a LIST of FILEs)"
                    .to_owned(),
            );
        }
        Value::Null => {}
        other => {
            return Err(wrong_type(
                "attachments",
                other,
                "file:FILE, a FILE or a LIST of FILEs",
            ))
        }
    }
    Ok(())
}

fn attachment(file: &FileValue) -> Attachment {
    let name = if file.name.trim().is_empty() {
        "attachment".to_owned()
    } else {
        file.name.clone()
    };
    let content_type = file
        .content_type
        .as_deref()
        .filter(|t| t.parse::<lettre::message::header::ContentType>().is_ok())
        .map_or_else(
            || crate::stdlib::file::content_type_of(&name).to_owned(),
            str::to_owned,
        );
    Attachment {
        name,
        content_type,
        bytes: file.bytes.clone(),
    }
}

fn wrong_type(key: &str, value: &Value, expected: &str) -> String {
    format!(
        "sendmail: `{key}` takes {expected}, not {}",
        value.value_type().name()
    )
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;

    fn params(pairs: Vec<(&str, Value)>) -> Vec<(Box<str>, Value)> {
        pairs.into_iter().map(|(k, v)| (k.into(), v)).collect()
    }

    fn base() -> Vec<(&'static str, Value)> {
        vec![
            ("from", Value::text("admin@localhost")),
            ("to", Value::text("a@example.com")),
        ]
    }

    #[test]
    fn recipients_come_from_text_lists_and_repeats() {
        let mut pairs = base();
        pairs.push((
            "to",
            Value::from(vec!["b@example.com", "C <c@example.com>"]),
        ));
        pairs.push((
            "cc",
            Value::text("d@example.com, e@example.com; f@example.com"),
        ));
        pairs.push(("reply-to", Value::text("help@example.com")));
        let request = MailRequest::from_params(&params(pairs)).unwrap();
        assert_eq!(request.to.len(), 3);
        assert_eq!(request.cc.len(), 3);
        assert_eq!(request.reply_to[0].email.to_string(), "help@example.com");
        assert_eq!(request.kind, BodyKind::Html);
        assert_eq!(request.recipients().count(), 6);
    }

    #[test]
    fn errors_name_the_key() {
        let check = |pairs: Vec<(&str, Value)>, expected: &str| {
            let error = MailRequest::from_params(&params(pairs)).unwrap_err();
            assert_eq!(error, expected);
        };
        check(
            vec![("to", Value::text("a@example.com"))],
            "sendmail: `from` is missing; give the sender, e.g. from: zoho.adminuserid",
        );
        check(
            vec![("from", Value::text("a@example.com"))],
            "sendmail: `to` is missing or empty; give one or more recipients, e.g. to: \
             \"ada@example.com\" or a LIST of addresses",
        );
        let mut pairs = base();
        pairs.push(("cc", Value::Number(5)));
        check(
            pairs,
            "sendmail: `cc` takes TEXT or a LIST of TEXT, not NUMBER",
        );
        let mut pairs = base();
        pairs.push(("content type", Value::text("pdf")));
        check(
            pairs,
            "sendmail: `content type` is \"pdf\"; use HTML (text/html) or plain text \
             (text/plain, plain, text)",
        );
        let mut pairs = base();
        pairs.push(("colour", Value::text("red")));
        check(
            pairs,
            "sendmail: unknown key `colour`; the keys are from, to, cc, bcc, reply to, subject, \
             message, content type, attachments",
        );
        let mut pairs = base();
        pairs.push(("subject", Value::text("a")));
        pairs.push(("Subject", Value::text("b")));
        check(pairs, "sendmail: `subject` is given twice; give it once");
        let mut pairs = base();
        pairs[1].1 = Value::text("not an address");
        let error = MailRequest::from_params(&params(pairs)).unwrap_err();
        assert!(
            error.starts_with("sendmail: `to` has an invalid address \"not an address\""),
            "{error}"
        );
    }

    #[test]
    fn attachments_take_files_and_refuse_creator_kinds() {
        let file = Value::File(Rc::new(FileValue {
            name: "r.csv".into(),
            bytes: b"a,b".to_vec(),
            ..FileValue::default()
        }));
        let tagged = Value::from_json(&serde_json::json!({"file": "x"}));
        let mut pairs = base();
        pairs.push(("attachments", file.clone()));
        pairs.push(("attachments", Value::from(vec![file])));
        let request = MailRequest::from_params(&params(pairs)).unwrap();
        assert_eq!(request.attachments.len(), 2);
        assert_eq!(request.attachments[0].content_type, "text/csv");
        let mut pairs = base();
        pairs.push(("attachments", tagged));
        let error = MailRequest::from_params(&params(pairs)).unwrap_err();
        assert!(error.ends_with("not TEXT"), "{error}");
        let mut pairs = base();
        let template = serde_json::json!({"template": "Quote", "format": "PDF"});
        pairs.push(("attachments", Value::from_json(&template)));
        let error = MailRequest::from_params(&params(pairs)).unwrap_err();
        assert_eq!(
            error,
            "sendmail: `attachments`: Creator record templates/report views are not available \
             outside Zoho"
        );
    }
}

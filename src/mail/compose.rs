//! [`MailRequest`] -> an RFC 5322 message (zoho-tasks.md §3.2 "Mapping"): `From`, `To`, `Cc`,
//! `Reply-To`, `Subject` (RFC 2047-encoded when not ASCII), a UTF-8 HTML or plain body, and
//! `multipart/mixed` with one part per attachment. Bcc is in the envelope only.

use lettre::address::Envelope;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as Part, Mailbox, Message, MultiPart, SinglePart};

use super::request::{BodyKind, MailRequest};

/// Builds the message; `envelope_from` replaces the `From` address in `MAIL FROM`.
pub fn build(request: &MailRequest, envelope_from: Option<&str>) -> Result<Message, String> {
    let mut builder = Message::builder()
        .from(request.from.clone())
        .subject(request.subject.clone())
        .message_id(Some(message_id(&request.from)))
        .user_agent(format!("deluge-lang {}", env!("CARGO_PKG_VERSION")));
    for mailbox in &request.to {
        builder = builder.to(mailbox.clone());
    }
    for mailbox in &request.cc {
        builder = builder.cc(mailbox.clone());
    }
    for mailbox in &request.bcc {
        builder = builder.bcc(mailbox.clone());
    }
    for mailbox in &request.reply_to {
        builder = builder.reply_to(mailbox.clone());
    }
    if let Some(address) = envelope_from {
        builder = builder.envelope(envelope(request, address)?);
    }
    let body = match request.kind {
        BodyKind::Html => SinglePart::html(request.message.clone()),
        BodyKind::Plain => SinglePart::plain(request.message.clone()),
    };
    let built = if request.attachments.is_empty() {
        builder.singlepart(body)
    } else {
        let mut parts = MultiPart::mixed().singlepart(body);
        for file in &request.attachments {
            let content_type = ContentType::parse(&file.content_type).map_err(|e| {
                format!(
                    "sendmail: attachment `{}` has the content type `{}` ({e})",
                    file.name, file.content_type
                )
            })?;
            let part = Part::new(file.name.clone()).body(file.bytes.clone(), content_type);
            parts = parts.singlepart(part);
        }
        builder.multipart(parts)
    };
    built.map_err(|e| format!("sendmail: cannot build the message: {e}"))
}

/// `<time.random@sender-domain>` (RFC 5322 §3.6.4).
fn message_id(from: &Mailbox) -> String {
    let nanos = jiff::Timestamp::now().as_nanosecond();
    format!(
        "<{nanos}.{:016x}@{}>",
        rand::random::<u64>(),
        from.email.domain()
    )
}

fn envelope(request: &MailRequest, address: &str) -> Result<Envelope, String> {
    let from = address
        .parse()
        .map_err(|e| format!("mail.smtp.envelope_from `{address}` is not an address ({e})"))?;
    let to = request.recipients().map(|m| m.email.clone()).collect();
    Envelope::new(Some(from), to).map_err(|e| format!("sendmail: bad envelope: {e}"))
}

/// One line describing a mail for notices and log mode: sender, recipients, subject, files.
pub fn summary(request: &MailRequest) -> String {
    let list = |mailboxes: &[Mailbox]| {
        mailboxes
            .iter()
            .map(|m| m.email.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut line = format!("from {} to {}", request.from.email, list(&request.to));
    for (label, mailboxes) in [("cc", &request.cc), ("bcc", &request.bcc)] {
        if !mailboxes.is_empty() {
            line.push_str(&format!(", {label} {}", list(mailboxes)));
        }
    }
    line.push_str(&format!(", subject {:?}", request.subject));
    if !request.attachments.is_empty() {
        let names: Vec<&str> = request
            .attachments
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        line.push_str(&format!(", attachments {}", names.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::super::request::Attachment;
    use super::*;

    fn request() -> MailRequest {
        let mailbox = |text: &str| text.parse::<Mailbox>().unwrap();
        MailRequest {
            from: mailbox("admin@localhost"),
            to: vec![mailbox("a@example.com")],
            cc: vec![mailbox("c@example.com")],
            bcc: vec![mailbox("hidden@example.com")],
            reply_to: vec![mailbox("help@example.com")],
            subject: "Grüße".into(),
            message: "<b>Hi</b>".into(),
            kind: BodyKind::Html,
            attachments: vec![],
        }
    }

    #[test]
    fn headers_hide_bcc_and_encode_the_subject() {
        let message = build(&request(), None).unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("To: a@example.com\r\n"), "{text}");
        assert!(
            text.contains("Message-ID: <") && text.contains("@localhost>\r\n"),
            "{text}"
        );
        assert!(text.contains("Cc: c@example.com\r\n"), "{text}");
        assert!(text.contains("Reply-To: help@example.com\r\n"), "{text}");
        assert!(text.contains("Subject: =?utf-8?"), "{text}");
        assert!(
            text.contains("Content-Type: text/html; charset=utf-8"),
            "{text}"
        );
        assert!(!text.contains("hidden@example.com"), "{text}");
        assert_eq!(message.envelope().to().len(), 3);
    }

    #[test]
    fn attachments_make_a_mixed_message_and_envelope_from_applies() {
        let mut request = request();
        request.kind = BodyKind::Plain;
        request.attachments.push(Attachment {
            name: "r.csv".into(),
            content_type: "text/csv".into(),
            bytes: b"a,b\n".to_vec(),
        });
        let message = build(&request, Some("bounce@example.com")).unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("multipart/mixed"), "{text}");
        assert!(text.contains("filename=\"r.csv\""), "{text}");
        assert!(text.contains("text/plain; charset=utf-8"), "{text}");
        assert_eq!(
            message
                .envelope()
                .from()
                .map(ToString::to_string)
                .as_deref(),
            Some("bounce@example.com")
        );
        let error = build(&request, Some("nope")).unwrap_err();
        assert!(
            error.starts_with("mail.smtp.envelope_from `nope` is not an address"),
            "{error}"
        );
        assert_eq!(
            summary(&request),
            "from admin@localhost to a@example.com, cc c@example.com, bcc hidden@example.com, \
             subject \"Grüße\", attachments r.csv"
        );
    }
}

//! The values a criteria may mention besides fields: script variables, `input.Field` and the
//! `zoho.*` system values.

use super::criteria::CriteriaScope;
use super::schema::Form;
use super::store::Store;
use crate::eval::value::{CollectionData, DateTime, Map, Value};

/// What a criteria of one fetch can see.
pub struct FetchScope<'a> {
    /// The variables the criteria mentions, with their values.
    pub variables: &'a [(&'a str, Value)],
    /// The current record.
    pub input: Map,
    /// The app's forms.
    pub store: &'a Store,
    /// `zoho.*` values: login user, admin user, app name.
    pub system: &'a SystemValues,
}

/// The `zoho.*` values the Creator host answers.
#[derive(Clone, Debug)]
pub struct SystemValues {
    /// `zoho.loginuser` (also `Added_User` of the records a run writes).
    pub login_user: String,
    /// `zoho.adminuser` (the app owner).
    pub admin_user: String,
    /// `zoho.appname`.
    pub app_name: String,
    /// The time zone of `zoho.currentdate` / `zoho.currenttime`.
    pub time_zone: jiff::tz::TimeZone,
}

impl SystemValues {
    /// The wall-clock time now in the app's time zone.
    pub fn now(&self) -> jiff::civil::DateTime {
        jiff::Timestamp::now()
            .to_zoned(self.time_zone.clone())
            .datetime()
    }

    /// `zoho.<name>` when the host provides it.
    pub fn value(&self, name: &str) -> Option<Value> {
        let now = || self.now();
        Some(match name.to_ascii_lowercase().as_str() {
            "loginuser" | "loginuserid" => Value::text(&self.login_user),
            "adminuser" | "adminuserid" => Value::text(&self.admin_user),
            "appname" | "applinkname" => Value::text(&self.app_name),
            "currentdate" => Value::date_time(DateTime {
                civil: now().date().to_datetime(jiff::civil::Time::midnight()),
                date_only: true,
            }),
            "currenttime" => Value::date_time(DateTime {
                civil: now(),
                date_only: false,
            }),
            _ => return None,
        })
    }
}

impl CriteriaScope for FetchScope<'_> {
    fn value(&self, path: &[&str]) -> Option<Value> {
        let (head, rest) = path.split_first()?;
        let start = if let Some((_, v)) = self
            .variables
            .iter()
            .find(|(name, _)| name == head)
            .or_else(|| {
                self.variables
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(head))
            }) {
            v.clone()
        } else if head.eq_ignore_ascii_case("input") {
            Value::Map(self.input.clone())
        } else if head.eq_ignore_ascii_case("zoho") && rest.len() == 1 {
            return self.system.value(rest[0]);
        } else {
            return None;
        };
        rest.iter()
            .try_fold(start, |value, field| field_of(&value, field))
    }

    fn form(&self, name: &str) -> Option<Form> {
        self.store.form(name).cloned()
    }
}

/// `value.field` on a record or a fetched collection (its first record).
fn field_of(value: &Value, field: &str) -> Option<Value> {
    let key = Value::text(field);
    match value {
        Value::Map(m) => Some(m.borrow().get(&key).cloned().unwrap_or_default()),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::List(items) => match items.first() {
                Some(Value::Map(m)) => Some(m.borrow().get(&key).cloned().unwrap_or_default()),
                _ => Some(Value::Null),
            },
            CollectionData::Map(entries) => Some(entries.get(&key).cloned().unwrap_or_default()),
            CollectionData::Empty => Some(Value::Null),
        },
        _ => None,
    }
}

//! Runtime values.
//!
//! Scalars are immutable and cheap to clone. TEXT is a shared `Rc<String>` so that copies are
//! pointer copies and `s = s + x` can append in place when the text is not shared. LIST, MAP and
//! COLLECTION are reference values (`Rc<RefCell<..>>`): `b = a; b.add(1);` changes `a` too.

use std::cell::{BorrowError, BorrowMutError, Ref, RefCell, RefMut};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::{Rc, Weak};

use indexmap::IndexMap;
use rust_decimal::Decimal;

use crate::eval::list_growth::reserve_items;

/// The hasher used by every MAP: fast, not DoS-resistant (scripts are trusted input).
pub type MapHasher = foldhash::fast::FixedState;

/// The storage of a MAP: insertion-ordered.
pub type MapData = IndexMap<Value, Value, MapHasher>;

/// A Deluge value.
///
/// Build values with `From` (`Value::from(3)`, `Value::from("text")`, `Value::from(vec![1, 2])`)
/// or [`Value::from_json`]; read them with [`Value::to`] or pattern matching. `Display` prints a
/// value as `info` does.
///
/// ```
/// use deluge_lang::Value;
/// assert_eq!(Value::from(3), Value::Number(3));
/// assert_eq!(Value::from(vec!["a", "b"]).to_string(), "a,b");
/// assert_eq!(Value::from(Some(2.5)).to::<f64>(), Ok(2.5));
/// ```
///
/// The tag is a whole word (`repr(u64)`), so every variant's payload is the second word and a
/// `Value` moves as two aligned words. With a one-byte tag, BOOLEAN's payload sat at byte 1,
/// and the compiler moved bytes 1 to 15 of a value as two overlapping words; a later read of
/// the payload then spanned both stores and could not be served from the store buffer, a
/// stall on every value passed through memory (fib 39 % and map 16 % faster with the word tag;
/// docs/performance.md).
#[derive(Clone, Default)]
#[repr(u64)]
#[non_exhaustive]
pub enum Value {
    /// `null`
    #[default]
    Null,
    /// BOOLEAN
    Bool(bool),
    /// NUMBER: a 64-bit signed integer; overflow is a runtime error.
    Number(i64),
    /// DECIMAL: exact, scale kept. Behind an `Rc`, with DATE-TIME, so that a `Value` is 16
    /// bytes (build one with `Decimal::into()` or [`Value::decimal`]).
    Decimal(Rc<Decimal>),
    /// TEXT
    Text(Text),
    /// DATE / DATE-TIME, as wall-clock time in the application time zone.
    DateTime(Rc<DateTime>),
    /// LIST (reference value)
    List(List),
    /// KEY-VALUE (reference value)
    Map(Map),
    /// COLLECTION (reference value): list-like or map-like, fixed by its first insert.
    Collection(Collection),
    /// FILE, e.g. from `invokeurl` with `response-format`.
    File(Rc<FileValue>),
    /// The error caught by `catch (e)`: prints as its message; `e.message`, `e.lineNo`.
    Error(Rc<ErrorValue>),
}

/// The type of a value, for dispatch and messages.
///
/// ```
/// use deluge_lang::{Value, ValueType};
/// assert_eq!(Value::from("x").value_type(), ValueType::Text);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueType {
    /// `null`
    Null,
    /// BOOLEAN
    Bool,
    /// NUMBER
    Number,
    /// DECIMAL
    Decimal,
    /// TEXT
    Text,
    /// DATE-TIME
    DateTime,
    /// LIST
    List,
    /// KEY-VALUE
    Map,
    /// COLLECTION
    Collection,
    /// FILE
    File,
    /// a caught error
    Error,
}

impl ValueType {
    /// The name Deluge users know, as used in error messages: `TEXT`, `NUMBER`, `KEY-VALUE`, ...
    ///
    /// ```
    /// assert_eq!(deluge_lang::ValueType::Map.name(), "KEY-VALUE");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Null => "NULL",
            ValueType::Bool => "BOOLEAN",
            ValueType::Number => "NUMBER",
            ValueType::Decimal => "DECIMAL",
            ValueType::Text => "TEXT",
            ValueType::DateTime => "DATE-TIME",
            ValueType::List => "LIST",
            ValueType::Map => "KEY-VALUE",
            ValueType::Collection => "COLLECTION",
            ValueType::File => "FILE",
            ValueType::Error => "ERROR",
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Value {
    /// The identity of a LIST, KEY-VALUE or COLLECTION (see `List::identity`); `None` for
    /// other values.
    pub fn container_identity(&self) -> Option<usize> {
        match self {
            Value::List(list) => Some(list.identity()),
            Value::Map(map) => Some(map.identity()),
            Value::Collection(collection) => Some(collection.identity()),
            _ => None,
        }
    }

    /// This value's type.
    ///
    /// ```
    /// use deluge_lang::{Value, ValueType};
    /// assert_eq!(Value::Number(1).value_type(), ValueType::Number);
    /// ```
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Null => ValueType::Null,
            Value::Bool(_) => ValueType::Bool,
            Value::Number(_) => ValueType::Number,
            Value::Decimal(_) => ValueType::Decimal,
            Value::Text(_) => ValueType::Text,
            Value::DateTime(_) => ValueType::DateTime,
            Value::List(_) => ValueType::List,
            Value::Map(_) => ValueType::Map,
            Value::Collection(_) => ValueType::Collection,
            Value::File(_) => ValueType::File,
            Value::Error(_) => ValueType::Error,
        }
    }

    /// A DECIMAL.
    ///
    /// ```
    /// use deluge_lang::Value;
    /// assert_eq!(Value::decimal(rust_decimal::Decimal::new(15, 1)).to_string(), "1.5");
    /// ```
    pub fn decimal(d: Decimal) -> Value {
        Value::Decimal(Rc::new(d))
    }

    /// A DATE-TIME.
    pub fn date_time(dt: DateTime) -> Value {
        Value::DateTime(Rc::new(dt))
    }

    /// A TEXT value.
    ///
    /// ```
    /// assert_eq!(deluge_lang::Value::text("hi").as_text(), Some("hi"));
    /// ```
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(Text::from(s.into()))
    }

    /// A new, empty LIST.
    ///
    /// ```
    /// assert_eq!(deluge_lang::Value::new_list().to_string(), "");
    /// ```
    pub fn new_list() -> Value {
        Value::List(List::default())
    }

    /// A new, empty MAP.
    ///
    /// ```
    /// assert_eq!(deluge_lang::Value::new_map().to_string(), "{}");
    /// ```
    pub fn new_map() -> Value {
        Value::Map(Map::default())
    }

    /// A LIST holding `items`.
    ///
    /// ```
    /// use deluge_lang::Value;
    /// let list = Value::list_from(vec![Value::Number(1), Value::Null]);
    /// assert_eq!(list.to_json(), serde_json::json!([1, null]));
    /// ```
    pub fn list_from(items: Vec<Value>) -> Value {
        Value::List(List::from_vec(items))
    }

    /// True for `null`.
    ///
    /// ```
    /// assert!(deluge_lang::Value::Null.is_null());
    /// ```
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text, if this is TEXT.
    ///
    /// ```
    /// assert_eq!(deluge_lang::Value::Number(1).as_text(), None);
    /// ```
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Number(n) => write!(f, "Number({n})"),
            Value::Decimal(d) => write!(f, "Decimal({d})"),
            Value::Text(t) => write!(f, "Text({:?})", t.as_str()),
            Value::DateTime(d) => write!(f, "DateTime({:?})", d),
            Value::List(l) => f.debug_tuple("List").field(&l.0.borrow()).finish(),
            Value::Map(m) => f.debug_tuple("Map").field(&m.0.borrow()).finish(),
            Value::Collection(c) => f.debug_tuple("Collection").field(&c.0.borrow()).finish(),
            Value::File(file) => write!(f, "File({:?}, {} bytes)", file.name, file.bytes.len()),
            Value::Error(e) => write!(f, "Error({:?})", e.message),
        }
    }
}

/// Key equality for MAP keys, `==` on scalars and `contains`: TEXT by content (case-sensitive),
/// NUMBER and DECIMAL by numeric value (`1 == 1.0`), containers by identity.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Decimal(a), Value::Decimal(b)) => a == b,
            (Value::Number(a), Value::Decimal(b)) | (Value::Decimal(b), Value::Number(a)) => {
                Decimal::from(*a) == **b
            }
            (Value::Text(a), Value::Text(b)) => a.as_str() == b.as_str(),
            (Value::DateTime(a), Value::DateTime(b)) => a == b,
            (Value::List(a), Value::List(b)) => Rc::ptr_eq(&a.0, &b.0),
            (Value::Map(a), Value::Map(b)) => Rc::ptr_eq(&a.0, &b.0),
            (Value::Collection(a), Value::Collection(b)) => Rc::ptr_eq(&a.0, &b.0),
            (Value::File(a), Value::File(b)) => Rc::ptr_eq(a, b),
            (Value::Error(a), Value::Error(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Value::Null => 0u8.hash(state),
            Value::Bool(b) => b.hash(state),
            Value::Number(n) => n.hash(state),
            Value::Decimal(d) => match i64::try_from(d.normalize()) {
                Ok(n) if d.fract().is_zero() => n.hash(state),
                _ => d.normalize().hash(state),
            },
            Value::Text(t) => t.as_str().hash(state),
            Value::DateTime(d) => d.hash(state),
            Value::List(l) => (Rc::as_ptr(&l.0) as usize).hash(state),
            Value::Map(m) => (Rc::as_ptr(&m.0) as usize).hash(state),
            Value::Collection(c) => (Rc::as_ptr(&c.0) as usize).hash(state),
            Value::File(f) => (Rc::as_ptr(f) as usize).hash(state),
            Value::Error(e) => (Rc::as_ptr(e) as usize).hash(state),
        }
    }
}

/// Shared, copy-on-write text.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Text(Rc<String>);

impl Text {
    /// The characters.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Mutable access, cloning first if the text is shared.
    pub fn make_mut(&mut self) -> &mut String {
        Rc::make_mut(&mut self.0)
    }

    /// Whether both are the same shared text (not only equal).
    #[cfg(test)]
    pub(crate) fn is_shared_with(&self, other: &Text) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Rc::new(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(Rc::new(s.to_owned()))
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

/// A LIST: shared and mutable.
#[derive(Clone, Default)]
pub struct List(Rc<RefCell<Vec<Value>>>);

impl List {
    /// A list owning `items`.
    pub fn from_vec(items: Vec<Value>) -> List {
        List(Rc::new(RefCell::new(items)))
    }

    /// Reads the contents; panics if they are being changed (the interpreter never holds a
    /// mutable borrow across a call that could read them).
    pub fn borrow(&self) -> Ref<'_, Vec<Value>> {
        self.0.borrow()
    }

    /// Changes the contents; panics if they are being read or changed.
    pub fn borrow_mut(&self) -> RefMut<'_, Vec<Value>> {
        self.0.borrow_mut()
    }

    /// Reads the contents, or fails while they are being changed.
    pub fn try_borrow(&self) -> Result<Ref<'_, Vec<Value>>, BorrowError> {
        self.0.try_borrow()
    }

    /// Changes the contents, or fails while they are being read or changed.
    pub fn try_borrow_mut(&self) -> Result<RefMut<'_, Vec<Value>>, BorrowMutError> {
        self.0.try_borrow_mut()
    }

    /// Appends `item` when the list holds fewer than `max_len` items and is not being read or
    /// changed; gives `item` back otherwise.
    #[inline]
    pub fn push_within(&self, item: Value, max_len: usize) -> Result<(), Value> {
        match self.0.try_borrow_mut() {
            Ok(mut items) if items.len() < max_len => {
                reserve_items(&mut items, 1, max_len);
                items.push(item);
                Ok(())
            }
            _ => Err(item),
        }
    }

    /// Whether `self` and `other` are the same LIST (not only equal contents).
    pub fn same(&self, other: &List) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// An address that identifies this LIST while it is alive (cycle and copy
    /// bookkeeping).
    pub fn identity(&self) -> usize {
        Rc::as_ptr(&self.0) as *const () as usize
    }
}

/// A MAP: shared, mutable, insertion-ordered.
#[derive(Clone, Default)]
pub struct Map(Rc<RefCell<MapData>>);

impl Map {
    /// A map owning `data`.
    pub fn from_data(data: MapData) -> Map {
        Map(Rc::new(RefCell::new(data)))
    }

    /// Reads the contents; panics if they are being changed (the interpreter never holds a
    /// mutable borrow across a call that could read them).
    pub fn borrow(&self) -> Ref<'_, MapData> {
        self.0.borrow()
    }

    /// Changes the contents; panics if they are being read or changed.
    pub fn borrow_mut(&self) -> RefMut<'_, MapData> {
        self.0.borrow_mut()
    }

    /// Reads the contents, or fails while they are being changed.
    pub fn try_borrow(&self) -> Result<Ref<'_, MapData>, BorrowError> {
        self.0.try_borrow()
    }

    /// Changes the contents, or fails while they are being read or changed.
    pub fn try_borrow_mut(&self) -> Result<RefMut<'_, MapData>, BorrowMutError> {
        self.0.try_borrow_mut()
    }

    /// Whether `self` and `other` are the same MAP (not only equal contents).
    pub fn same(&self, other: &Map) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// An address that identifies this MAP while it is alive (cycle and copy
    /// bookkeeping).
    pub fn identity(&self) -> usize {
        Rc::as_ptr(&self.0) as *const () as usize
    }

    /// A reference that does not keep the map alive.
    pub fn downgrade(&self) -> WeakMap {
        WeakMap(Rc::downgrade(&self.0))
    }
}

/// A reference to a MAP that does not keep it alive (see [`Map::downgrade`]).
#[derive(Clone, Debug)]
pub struct WeakMap(Weak<RefCell<MapData>>);

impl WeakMap {
    /// The map, while something else still holds it.
    pub fn upgrade(&self) -> Option<Map> {
        self.0.upgrade().map(Map)
    }

    /// Whether the map is still alive.
    pub fn is_alive(&self) -> bool {
        self.0.strong_count() > 0
    }
}

/// A COLLECTION: shared and mutable; list-like or map-like once something is inserted.
#[derive(Clone, Default)]
pub struct Collection(Rc<RefCell<CollectionData>>);

impl Collection {
    /// A collection holding `data`.
    pub fn from_data(data: CollectionData) -> Collection {
        Collection(Rc::new(RefCell::new(data)))
    }

    /// Reads the contents; panics if they are being changed (the interpreter never holds a
    /// mutable borrow across a call that could read them).
    pub fn borrow(&self) -> Ref<'_, CollectionData> {
        self.0.borrow()
    }

    /// Changes the contents; panics if they are being read or changed.
    pub fn borrow_mut(&self) -> RefMut<'_, CollectionData> {
        self.0.borrow_mut()
    }

    /// Reads the contents, or fails while they are being changed.
    pub fn try_borrow(&self) -> Result<Ref<'_, CollectionData>, BorrowError> {
        self.0.try_borrow()
    }

    /// Changes the contents, or fails while they are being read or changed.
    pub fn try_borrow_mut(&self) -> Result<RefMut<'_, CollectionData>, BorrowMutError> {
        self.0.try_borrow_mut()
    }

    /// Whether `self` and `other` are the same COLLECTION (not only equal contents).
    pub fn same(&self, other: &Collection) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// An address that identifies this COLLECTION while it is alive (cycle and copy
    /// bookkeeping).
    pub fn identity(&self) -> usize {
        Rc::as_ptr(&self.0) as *const () as usize
    }
}

/// What a collection holds. Exhaustive on purpose: a COLLECTION is empty, a list or a map,
/// and hosts that copy or convert one match all three.
#[derive(Debug, Default)]
pub enum CollectionData {
    /// Nothing inserted yet; the first insert fixes the kind.
    #[default]
    Empty,
    /// Index-value collection.
    List(Vec<Value>),
    /// Key-value collection.
    Map(MapData),
}

/// Dropping containers without recursion.
///
/// A loop can nest lists, maps and collections a million levels deep; the derived drop would
/// recurse once per level and overflow the native stack. The last owner of a container that
/// holds other containers instead moves its children onto a work stack, so every container
/// is dropped empty.
impl Drop for List {
    fn drop(&mut self) {
        drop_children(&self.0);
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        drop_children(&self.0);
    }
}

impl Drop for Collection {
    fn drop(&mut self) {
        drop_children(&self.0);
    }
}

/// Container contents that can be taken apart by their last owner.
trait NestedChildren {
    /// Empties the contents when at least one child is a container, moving the containers
    /// onto `nested` and dropping the rest; otherwise may leave them to the ordinary drop.
    fn take_apart(&mut self, nested: &mut Vec<Value>);
}

impl NestedChildren for Vec<Value> {
    /// One pass: a list of scalars and texts (the common case) is dropped element by element
    /// here, without a scan for containers first and without a drop call per scalar. A list
    /// of containers (rows, records) goes onto the work stack whole.
    fn take_apart(&mut self, nested: &mut Vec<Value>) {
        if self.first().is_some_and(is_container) {
            if nested.is_empty() {
                std::mem::swap(nested, self);
            } else {
                nested.append(self);
            }
            return;
        }
        for value in std::mem::take(self) {
            match value {
                scalar @ (Value::Null | Value::Bool(_) | Value::Number(_)) => {
                    std::mem::forget(scalar)
                }
                Value::Text(text) => drop(text),
                container @ (Value::List(_) | Value::Map(_) | Value::Collection(_)) => {
                    nested.push(container)
                }
                other => drop(other),
            }
        }
    }
}

impl NestedChildren for MapData {
    fn take_apart(&mut self, nested: &mut Vec<Value>) {
        if self
            .iter()
            .any(|(key, value)| is_container(key) || is_container(value))
        {
            nested.extend(
                std::mem::take(self)
                    .into_iter()
                    .flat_map(|(key, value)| [key, value]),
            );
        }
    }
}

impl NestedChildren for CollectionData {
    fn take_apart(&mut self, nested: &mut Vec<Value>) {
        match self {
            CollectionData::Empty => {}
            CollectionData::List(items) => items.take_apart(nested),
            CollectionData::Map(map) => map.take_apart(nested),
        }
    }
}

fn is_container(value: &Value) -> bool {
    matches!(value, Value::List(_) | Value::Map(_) | Value::Collection(_))
}

/// Takes apart the contents of a container whose last owner is going away (see
/// [`NestedChildren`]); nothing while other owners keep it alive.
fn take_apart_if_last<T: NestedChildren>(cell: &Rc<RefCell<T>>, nested: &mut Vec<Value>) {
    if Rc::strong_count(cell) != 1 {
        return;
    }
    if let Ok(mut contents) = cell.try_borrow_mut() {
        contents.take_apart(nested);
    }
}

/// Drops the children of a container whose last owner is going away, one level at a time.
fn drop_children<T: NestedChildren>(cell: &Rc<RefCell<T>>) {
    let mut nested = Vec::new();
    take_apart_if_last(cell, &mut nested);
    while let Some(value) = nested.pop() {
        match &value {
            Value::List(l) => take_apart_if_last(&l.0, &mut nested),
            Value::Map(m) => take_apart_if_last(&m.0, &mut nested),
            Value::Collection(c) => take_apart_if_last(&c.0, &mut nested),
            _ => {}
        }
    }
}

/// A date-time as wall-clock time in the application time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// The civil date and time.
    pub civil: jiff::civil::DateTime,
    /// True when written or produced as a date without a time (prints `dd-MMM-yyyy`).
    pub date_only: bool,
}

/// A FILE value.
#[derive(Debug, Default)]
pub struct FileValue {
    /// File name, if known.
    pub name: String,
    /// MIME type, if known.
    pub content_type: Option<String>,
    /// Character set set with `setCharSet`, if any.
    pub charset: Option<String>,
    /// The multipart field name set with `setParamName` (`invokeurl` uses `file` otherwise).
    pub param_name: std::cell::RefCell<Option<String>>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A caught runtime error, as seen by `catch (e)`.
#[derive(Debug)]
pub struct ErrorValue {
    /// The message, as `info e` prints it.
    pub message: String,
    /// 1-based line of the statement that failed.
    pub line: u32,
}

#[cfg(test)]
mod tests {
    use super::Value;
    use std::rc::Rc;

    /// How many owners the TEXT in `value` has.
    fn owners(value: &Value) -> usize {
        match value {
            Value::Text(text) => Rc::strong_count(&text.0),
            _ => 0,
        }
    }

    /// A list is taken apart in one pass when its first element is not a container, and moved
    /// onto the work stack whole when it is: either way every element is released.
    #[test]
    fn freeing_a_list_releases_every_element_whichever_comes_first() {
        let shared = Value::text("kept");
        let inner = Value::list_from(vec![shared.clone(), Value::Number(2)]);
        let mixed = Value::list_from(vec![
            Value::Number(1),
            shared.clone(),
            inner,
            Value::Bool(true),
            Value::Null,
        ]);
        let rows = Value::list_from(vec![
            Value::list_from(vec![shared.clone()]),
            shared.clone(),
        ]);
        assert_eq!(owners(&shared), 5);
        drop(mixed);
        assert_eq!(owners(&shared), 3);
        drop(rows);
        assert_eq!(owners(&shared), 1);
    }

    /// Lists, frames and the operand stack hold `Value`s by value: the wide variants
    /// (DECIMAL, DATE-TIME) are behind an `Rc` so that every value is two words. The word tag
    /// keeps its unused values for the enums around it: an optional value and the
    /// interpreter's result of a value are two words too.
    #[test]
    fn a_value_is_two_words() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
        assert_eq!(
            std::mem::size_of::<crate::eval::error::RtResult<Value>>(),
            16
        );
    }
}

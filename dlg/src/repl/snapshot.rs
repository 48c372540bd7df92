//! Copies of the session's variables, taken before each statement so that a statement that
//! fails leaves the state as it was.
//!
//! LIST, MAP and COLLECTION are reference values changed in place (`l.add(1)`), so the copy is
//! deep; values shared between variables (`b = a;`) stay shared in the copy.

use std::collections::HashMap;

use deluge_lang::eval::value::{Collection, CollectionData, List, Map, MapData, Value};

/// The session's variables, in the order they were first assigned.
pub type Variables = indexmap::IndexMap<String, Value>;

/// A deep copy of `variables` that keeps sharing between them.
pub fn snapshot(variables: &Variables) -> Variables {
    let mut copier = Copier::default();
    variables
        .iter()
        .map(|(name, value)| (name.clone(), copier.copy(value)))
        .collect()
}

/// Copies values, remembering each container already copied by its address.
#[derive(Default)]
struct Copier {
    copies: HashMap<usize, Value>,
}

impl Copier {
    /// A copy of `value`. A container is registered before its items are copied, so a
    /// container that holds itself does not recurse forever.
    fn copy(&mut self, value: &Value) -> Value {
        let address = match value {
            Value::List(list) => list.identity(),
            Value::Map(map) => map.identity(),
            Value::Collection(collection) => collection.identity(),
            scalar => return scalar.clone(),
        };
        if let Some(copy) = self.copies.get(&address) {
            return copy.clone();
        }
        match value {
            Value::List(list) => {
                let copy = List::default();
                self.copies.insert(address, Value::List(copy.clone()));
                let items: Vec<Value> = list.borrow().iter().map(|v| self.copy(v)).collect();
                *copy.borrow_mut() = items;
                Value::List(copy)
            }
            Value::Map(map) => {
                let copy = Map::default();
                self.copies.insert(address, Value::Map(copy.clone()));
                let data = self.copy_map(&map.borrow());
                *copy.borrow_mut() = data;
                Value::Map(copy)
            }
            Value::Collection(collection) => {
                let copy = Collection::default();
                self.copies.insert(address, Value::Collection(copy.clone()));
                let data = match &*collection.borrow() {
                    CollectionData::Empty => CollectionData::Empty,
                    CollectionData::List(items) => {
                        CollectionData::List(items.iter().map(|v| self.copy(v)).collect())
                    }
                    CollectionData::Map(data) => CollectionData::Map(self.copy_map(data)),
                };
                *copy.borrow_mut() = data;
                Value::Collection(copy)
            }
            scalar => scalar.clone(),
        }
    }

    fn copy_map(&mut self, data: &MapData) -> MapData {
        data.iter()
            .map(|(k, v)| (self.copy(k), self.copy(v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use deluge_lang::eval::render::display;

    #[test]
    fn the_copy_does_not_see_later_changes() {
        let list = Value::list_from(vec![Value::Number(1)]);
        let mut variables = Variables::new();
        variables.insert("l".into(), list.clone());
        let copy = snapshot(&variables);
        if let Value::List(l) = &list {
            l.borrow_mut().push(Value::Number(2));
        }
        assert_eq!(display(&variables["l"]), "1,2");
        assert_eq!(display(&copy["l"]), "1");
    }

    #[test]
    fn sharing_between_variables_is_kept() {
        let map = Value::new_map();
        let mut variables = Variables::new();
        variables.insert("a".into(), map.clone());
        variables.insert("b".into(), map);
        variables.insert("n".into(), Value::text("x"));
        let copy = snapshot(&variables);
        assert_eq!(copy["a"], copy["b"]);
        assert_ne!(copy["a"], variables["a"]);
        assert_eq!(copy["n"], variables["n"]);
    }

    #[test]
    fn a_list_holding_itself_is_copied() {
        let list = List::default();
        list.borrow_mut().push(Value::List(list.clone()));
        let mut variables = Variables::new();
        variables.insert("l".into(), Value::List(list));
        let copy = snapshot(&variables);
        let Value::List(copied) = &copy["l"] else {
            panic!("not a list")
        };
        assert_eq!(copied.borrow()[0], copy["l"]);
    }
}

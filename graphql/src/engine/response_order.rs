//! Puts every object of a response in the order its fields were selected, as the GraphQL
//! specification asks (CollectFields keeps the order of the selections, fragments expanded where
//! they apply). async-graphql resolves an object's fields concurrently and keeps them in the
//! order they finished, so the same query could come back in different orders from one request
//! to the next, and clients that diff or snapshot responses saw changes that were not there.
//!
//! Which fragments apply depends on an object's concrete type. Below a field whose type is an
//! interface or a union, the data alone does not say it, so [`SchemaShape::mark_abstract_fields`]
//! adds a `__typename` under a reserved alias to such fields' selections when the document is
//! prepared; [`SchemaShape::order`] reads it, orders the object, and removes it again.

use std::collections::{HashMap, HashSet};

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Field, OperationType, Selection, SelectionSet, ServiceDocument,
    Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Positioned, Value};

/// The response key under which the concrete type of an abstract-typed object is fetched.
const CONCRETE_TYPE_KEY: &str = "__ctConcreteType";

/// Names of the types that matter for ordering: fields' types and the objects behind each
/// interface and union.
pub struct SchemaShape {
    /// Type name → field name → the field's named type.
    fields: HashMap<String, HashMap<String, String>>,
    /// Interface or union → the object types that belong to it.
    possible: HashMap<String, HashSet<String>>,
    query: String,
    mutation: String,
    subscription: String,
}

/// The introspection types, which the SDL leaves out (as the specification defines them).
const INTROSPECTION_SDL: &str = "
type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type
  subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: __TypeKind! name: String description: String specifiedByURL: String isOneOf: Boolean
  fields(includeDeprecated: Boolean): [__Field!] interfaces: [__Type!] possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean): [__EnumValue!] inputFields(includeDeprecated: Boolean): [__InputValue!]
  ofType: __Type }
type __Field { name: String! description: String args(includeDeprecated: Boolean): [__InputValue!]! type: __Type!
  isDeprecated: Boolean! deprecationReason: String }
type __InputValue { name: String! description: String type: __Type! defaultValue: String isDeprecated: Boolean!
  deprecationReason: String }
type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
type __Directive { name: String! description: String locations: [__DirectiveLocation!]!
  args(includeDeprecated: Boolean): [__InputValue!]! isRepeatable: Boolean! }
enum __TypeKind { SCALAR }
enum __DirectiveLocation { QUERY }
type __IntrospectionRoots { __schema: __Schema! __type(name: String!): __Type }
";

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

impl SchemaShape {
    /// A shape that knows no types: responses pass through it unchanged.
    pub fn empty() -> Self {
        Self {
            fields: HashMap::new(),
            possible: HashMap::new(),
            query: String::new(),
            mutation: String::new(),
            subscription: String::new(),
        }
    }

    /// The shape of the schema whose SDL is `sdl`.
    pub fn from_sdl(sdl: &str) -> Result<Self, async_graphql::parser::Error> {
        let mut shape = Self {
            fields: HashMap::new(),
            possible: HashMap::new(),
            query: "Query".into(),
            mutation: "Mutation".into(),
            subscription: "Subscription".into(),
        };
        for document in
            [async_graphql::parser::parse_schema(sdl)?, async_graphql::parser::parse_schema(INTROSPECTION_SDL)?]
        {
            shape.add(document);
        }
        // Every object may be asked for its introspection fields.
        let roots = shape.fields.remove("__IntrospectionRoots").unwrap_or_default();
        if let Some(query) = shape.fields.get_mut(&shape.query) {
            query.extend(roots);
        }
        Ok(shape)
    }

    fn add(&mut self, document: ServiceDocument) {
        for definition in document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    let schema = schema.node;
                    let name = |n: Option<Positioned<Name>>| n.map(|n| n.node.to_string());
                    self.query = name(schema.query).unwrap_or_else(|| self.query.clone());
                    self.mutation = name(schema.mutation).unwrap_or_else(|| self.mutation.clone());
                    self.subscription = name(schema.subscription).unwrap_or_else(|| self.subscription.clone());
                }
                TypeSystemDefinition::Type(definition) => {
                    let definition = definition.node;
                    let type_name = definition.name.node.to_string();
                    let (fields, implements) = match definition.kind {
                        TypeKind::Object(object) => (object.fields, object.implements),
                        TypeKind::Interface(interface) => {
                            self.possible.entry(type_name.clone()).or_default();
                            (interface.fields, interface.implements)
                        }
                        TypeKind::Union(union) => {
                            let members = union.members.into_iter().map(|m| m.node.to_string());
                            self.possible.entry(type_name).or_default().extend(members);
                            continue;
                        }
                        _ => continue,
                    };
                    for interface in implements {
                        self.possible.entry(interface.node.to_string()).or_default().insert(type_name.clone());
                    }
                    let fields = fields
                        .into_iter()
                        .map(|field| (field.node.name.node.to_string(), named(&field.node.ty.node).to_owned()))
                        .collect();
                    self.fields.insert(type_name, fields);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
    }

    fn is_abstract(&self, type_name: &str) -> bool {
        self.possible.contains_key(type_name)
    }

    /// Whether a fragment on `condition` applies to an object of type `concrete`.
    fn applies(&self, condition: &str, concrete: &str) -> bool {
        condition == concrete || self.possible.get(condition).is_some_and(|types| types.contains(concrete))
    }

    fn field_type(&self, parent: &str, field: &str) -> Option<&str> {
        if field == "__typename" {
            return Some("String");
        }
        self.fields.get(parent)?.get(field).map(String::as_str)
    }

    fn root(&self, ty: OperationType) -> &str {
        match ty {
            OperationType::Query => &self.query,
            OperationType::Mutation => &self.mutation,
            OperationType::Subscription => &self.subscription,
        }
    }

    /// Adds the concrete-type field to the selections of every field whose type is an interface
    /// or a union. Run once per document, before it is cached.
    pub fn mark_abstract_fields(&self, document: &mut ExecutableDocument) {
        match &mut document.operations {
            DocumentOperations::Single(operation) => {
                let root = self.root(operation.node.ty).to_owned();
                self.mark(&mut operation.node.selection_set.node, &root);
            }
            DocumentOperations::Multiple(operations) => {
                for operation in operations.values_mut() {
                    let root = self.root(operation.node.ty).to_owned();
                    self.mark(&mut operation.node.selection_set.node, &root);
                }
            }
        }
        for fragment in document.fragments.values_mut() {
            let on = fragment.node.type_condition.node.on.node.to_string();
            self.mark(&mut fragment.node.selection_set.node, &on);
        }
    }

    fn mark(&self, set: &mut SelectionSet, parent: &str) {
        for item in &mut set.items {
            match &mut item.node {
                Selection::Field(field) => {
                    let field = &mut field.node;
                    if field.selection_set.node.items.is_empty() {
                        continue;
                    }
                    let Some(ty) = self.field_type(parent, &field.name.node).map(str::to_owned) else { continue };
                    if self.is_abstract(&ty) {
                        let at = field.selection_set.pos;
                        let concrete = Field {
                            alias: Some(Positioned::new(Name::new(CONCRETE_TYPE_KEY), at)),
                            name: Positioned::new(Name::new("__typename"), at),
                            arguments: Vec::new(),
                            directives: Vec::new(),
                            selection_set: Positioned::new(SelectionSet::default(), at),
                        };
                        field
                            .selection_set
                            .node
                            .items
                            .push(Positioned::new(Selection::Field(Positioned::new(concrete, at)), at));
                    }
                    self.mark(&mut field.selection_set.node, &ty);
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref().map(|c| c.node.on.node.to_string());
                    self.mark(&mut fragment.node.selection_set.node, on.as_deref().unwrap_or(parent));
                }
                Selection::FragmentSpread(_) => {}
            }
        }
    }

    /// Orders `data`, the result of the operation `operation_name` of `document`.
    pub fn order(&self, document: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
        let operation = match (&document.operations, operation_name) {
            (DocumentOperations::Single(operation), _) => Some(operation),
            (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
            (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations.values().next(),
            _ => None,
        };
        if let Some(operation) = operation {
            let root = self.root(operation.node.ty);
            self.order_value(document, &[&operation.node.selection_set.node], root, data);
        }
    }

    fn order_value(&self, document: &ExecutableDocument, sets: &[&SelectionSet], static_type: &str, value: &mut Value) {
        match value {
            Value::List(items) => {
                for item in items {
                    self.order_value(document, sets, static_type, item);
                }
            }
            Value::Object(object) => self.order_object(document, sets, static_type, object),
            _ => {}
        }
    }

    fn order_object(
        &self,
        document: &ExecutableDocument,
        sets: &[&SelectionSet],
        static_type: &str,
        object: &mut IndexMap<Name, Value>,
    ) {
        let marked = object.shift_remove(CONCRETE_TYPE_KEY);
        let concrete = match &marked {
            Some(Value::String(name)) => name.as_str(),
            _ if !self.is_abstract(static_type) => static_type,
            // A value of an abstract type without its marker: leave it as it came.
            _ => return,
        };
        let mut collected: IndexMap<&Name, Vec<&Field>> = IndexMap::new();
        for set in sets {
            self.collect(document, set, concrete, &mut collected, &mut HashSet::new());
        }
        let in_order = object.len() == collected.len() && object.keys().zip(collected.keys()).all(|(a, b)| a == *b);
        if !in_order {
            let mut ordered = IndexMap::with_capacity(object.len());
            for key in collected.keys() {
                if let Some((key, value)) = object.shift_remove_entry(*key) {
                    ordered.insert(key, value);
                }
            }
            // Anything not selected (nothing should be) keeps its place at the end.
            ordered.extend(object.drain(..));
            *object = ordered;
        }
        for (key, fields) in &collected {
            let Some(value) = object.get_mut(*key) else { continue };
            if matches!(value, Value::Null) || fields.iter().all(|f| f.selection_set.node.items.is_empty()) {
                continue;
            }
            let Some(field_type) = self.field_type(concrete, &fields[0].name.node) else { continue };
            let child_sets: Vec<&SelectionSet> = fields.iter().map(|f| &f.selection_set.node).collect();
            self.order_value(document, &child_sets, field_type, value);
        }
    }

    /// CollectFields for an object of type `concrete`: each response key once, in the order of
    /// first selection, with every field selected under it.
    fn collect<'a>(
        &self,
        document: &'a ExecutableDocument,
        set: &'a SelectionSet,
        concrete: &str,
        collected: &mut IndexMap<&'a Name, Vec<&'a Field>>,
        visited: &mut HashSet<&'a Name>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    collected.entry(&field.node.response_key().node).or_default().push(&field.node);
                }
                Selection::InlineFragment(fragment) => {
                    let applies =
                        fragment.node.type_condition.as_ref().is_none_or(|c| self.applies(&c.node.on.node, concrete));
                    if applies {
                        self.collect(document, &fragment.node.selection_set.node, concrete, collected, visited);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if !visited.insert(name) {
                        continue;
                    }
                    if let Some(fragment) = document.fragments.get(name)
                        && self.applies(&fragment.node.type_condition.node.on.node, concrete)
                    {
                        self.collect(document, &fragment.node.selection_set.node, concrete, collected, visited);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use serde_json::json;

    use super::*;

    const SDL: &str = "
        schema { query: Query }
        interface Node { id: ID! }
        type A implements Node { id: ID! x: Int y: Int child: A }
        type B implements Node { id: ID! x: Int y: Int }
        union AorB = A | B
        type Query { node: Node nodes: [Node] any: AorB a: A count: Int }";

    fn ordered(query: &str, data: serde_json::Value) -> String {
        let shape = SchemaShape::from_sdl(SDL).unwrap();
        let mut document = parse_query(query).unwrap();
        shape.mark_abstract_fields(&mut document);
        let mut value = Value::from_json(data).unwrap();
        shape.order(&document, None, &mut value);
        serde_json::to_string(&value).unwrap()
    }

    #[test]
    fn objects_follow_the_selection_order() {
        let data = json!({ "count": 1, "a": { "y": 2, "child": { "y": 1, "x": 0 }, "x": 1 } });
        assert_eq!(
            ordered("{ a { x child { x y } y } count }", data),
            r#"{"a":{"x":1,"child":{"x":0,"y":1},"y":2},"count":1}"#
        );
    }

    #[test]
    fn fragments_apply_by_the_concrete_type() {
        let query = "{ nodes { ... on A { x y } ... on B { y x } id } }";
        let data = json!({ "nodes": [
            { "id": "1", "y": 2, "x": 1, "__ctConcreteType": "A" },
            { "x": 3, "id": "2", "y": 4, "__ctConcreteType": "B" },
        ] });
        assert_eq!(ordered(query, data), r#"{"nodes":[{"x":1,"y":2,"id":"1"},{"y":4,"x":3,"id":"2"}]}"#);
        let query = "{ any { ...F } } fragment F on AorB { ... on Node { id } ... on A { x } }";
        let data = json!({ "any": { "x": 1, "__ctConcreteType": "A", "id": "9" } });
        assert_eq!(ordered(query, data), r#"{"any":{"id":"9","x":1}}"#);
    }

    #[test]
    fn abstract_fields_are_marked_once_per_field() {
        let shape = SchemaShape::from_sdl(SDL).unwrap();
        let mut document = parse_query("{ node { id } a { child { x } } __schema { types { name } } }").unwrap();
        shape.mark_abstract_fields(&mut document);
        let DocumentOperations::Single(operation) = &document.operations else { panic!("one operation") };
        let selected = |i: usize| match &operation.node.selection_set.node.items[i].node {
            Selection::Field(field) => field.node.selection_set.node.items.len(),
            _ => 0,
        };
        assert_eq!((selected(0), selected(1), selected(2)), (2, 1, 1));
    }
}

use serde_json::Value;

use crate::tree::origin::{Gathered, Origin};

/// JSON 6902 operations as they are gathered, each with what it comes from.
pub(super) struct Patch<'a> {
    pub(super) ops: Vec<Value>,
    pub(super) origins: &'a mut Gathered,
}

impl Patch<'_> {
    pub(super) fn push(&mut self, op: Value, origins: impl FnOnce() -> Vec<Origin>) {
        let at = self.ops.len().to_string();
        self.origins.node(0, &[&at], origins);
        self.ops.push(op);
    }
}

//! Columns of a row read under a prefix, so that one parser reads a table's columns alone or
//! aliased in a join (`g_id` for `grants.id`).

use std::borrow::Cow;

use keygate_core::store::{StoreError, StoreResult};

use crate::backend;
use crate::db::{Decode, Row};

/// A row's columns, each named `prefix` + column.
#[derive(Clone, Copy)]
pub(crate) struct Cols<'r> {
    row: &'r Row,
    prefix: &'static str,
}

impl<'r> Cols<'r> {
    /// The row's own column names.
    pub(crate) fn plain(row: &'r Row) -> Self {
        Self { row, prefix: "" }
    }

    /// Columns named with `prefix` (see [`aliased`]).
    pub(crate) fn prefixed(row: &'r Row, prefix: &'static str) -> Self {
        Self { row, prefix }
    }

    fn name(&self, column: &'static str) -> Cow<'static, str> {
        if self.prefix.is_empty() {
            Cow::Borrowed(column)
        } else {
            Cow::Owned(format!("{}{column}", self.prefix))
        }
    }

    /// One column's value.
    pub(crate) fn get<T: Decode>(&self, column: &'static str) -> StoreResult<T> {
        self.row.try_get(self.name(column).as_ref()).map_err(backend)
    }

    /// A stored JSON list of strings.
    pub(crate) fn json_list(&self, column: &'static str) -> StoreResult<Vec<String>> {
        let text: String = self.get(column)?;
        serde_json::from_str(&text).map_err(|e| StoreError::Backend(e.into()))
    }
}

/// `alias.c AS prefixc, ...` for the comma-separated `columns`.
pub(crate) fn aliased(alias: &str, prefix: &str, columns: &str) -> String {
    let each = columns.split(',').map(str::trim).filter(|c| !c.is_empty());
    each.map(|c| format!("{alias}.{c} AS {prefix}{c}")).collect::<Vec<_>>().join(", ")
}

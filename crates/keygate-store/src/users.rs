use async_trait::async_trait;
use keygate_core::store::{StoreError, StoreResult, UserQuery, UserStore};
use keygate_core::user::User;

use crate::cols::Cols;
use crate::db::{Query, Row, query};
use crate::{SqlStore, backend, conflict_or_backend, to_json};

/// The columns of `users`, in the order `bind_all` binds them.
macro_rules! columns {
    () => {
        "id, username, username_key, email, email_key, email_verified, name, given_name, \
         family_name, password_hash, disabled, created_at, updated_at, roles, claims, require_mfa"
    };
}
const INSERT: &str = concat!(
    "INSERT INTO users (",
    columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
);
const UPDATE: &str = "UPDATE users SET username = $2, username_key = $3, email = $4, \
     email_key = $5, email_verified = $6, name = $7, given_name = $8, family_name = $9, \
     password_hash = $10, disabled = $11, created_at = $12, updated_at = $13, roles = $14, \
     claims = $15, require_mfa = $16 WHERE id = $1";
const SELECT_ONE: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM users WHERE id = $1 OR username_key = $2 OR email_key = $2 \
     ORDER BY CASE WHEN id = $1 THEN 0 WHEN username_key = $2 THEN 1 ELSE 2 END LIMIT 1"
);
const SELECT_ALL: &str = concat!("SELECT ", columns!(), " FROM users ORDER BY username_key");

fn from_row(row: &Row) -> StoreResult<User> {
    user_from(Cols::plain(row))
}

/// The columns of `users`, for joins.
pub(crate) const COLUMNS: &str = columns!();

/// A user from `c`'s columns.
pub(crate) fn user_from(c: Cols<'_>) -> StoreResult<User> {
    let flag = |col: &'static str| c.get::<i64>(col).map(|v| v != 0);
    Ok(User {
        id: c.get("id")?,
        username: c.get("username")?,
        email: c.get("email")?,
        email_verified: flag("email_verified")?,
        name: c.get("name")?,
        given_name: c.get("given_name")?,
        family_name: c.get("family_name")?,
        password_hash: c.get("password_hash")?,
        disabled: flag("disabled")?,
        require_mfa: flag("require_mfa")?,
        created_at: c.get("created_at")?,
        updated_at: c.get("updated_at")?,
        roles: c.json_list("roles")?,
        claims: {
            let text: String = c.get("claims")?;
            serde_json::from_str(&text).map_err(|e| StoreError::Backend(e.into()))?
        },
    })
}

fn bind_all(query: Query, u: &User) -> StoreResult<Query> {
    Ok(query
        .bind(u.id.clone())
        .bind(u.username.clone())
        .bind(u.username.to_lowercase())
        .bind(u.email.clone())
        .bind(u.email.to_lowercase())
        .bind(i64::from(u.email_verified))
        .bind(u.name.clone())
        .bind(u.given_name.clone())
        .bind(u.family_name.clone())
        .bind(u.password_hash.clone())
        .bind(i64::from(u.disabled))
        .bind(u.created_at)
        .bind(u.updated_at)
        .bind(to_json(&u.roles)?)
        .bind(serde_json::to_string(&u.claims).map_err(|e| StoreError::Backend(e.into()))?)
        .bind(i64::from(u.require_mfa)))
}

#[async_trait]
impl UserStore for SqlStore {
    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        bind_all(query(INSERT), user)?
            .execute(&self.db)
            .await
            .map_err(conflict_or_backend("a user with this username or email"))?;
        Ok(())
    }

    async fn update_user(&self, user: &User) -> StoreResult<bool> {
        let done = bind_all(query(UPDATE), user)?
            .execute(&self.db)
            .await
            .map_err(conflict_or_backend("a user with this username or email"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn rehash_password(&self, id: &str, old: &str, new: &str) -> StoreResult<bool> {
        let done =
            query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3")
                .bind(new.to_owned())
                .bind(id.to_owned())
                .bind(old.to_owned())
                .execute(&self.db)
                .await
                .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn find_user(&self, id_or_login: &str) -> StoreResult<Option<User>> {
        let row = query(SELECT_ONE)
            .bind(id_or_login.to_owned())
            .bind(id_or_login.to_lowercase())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(from_row).transpose()
    }

    async fn usernames(&self, ids: &[&str]) -> StoreResult<Vec<(String, String)>> {
        crate::names_by_id(&self.db, "SELECT id, username FROM users WHERE id", ids).await
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        let rows = query(SELECT_ALL).fetch_all(&self.db).await.map_err(backend)?;
        rows.iter().map(from_row).collect()
    }

    async fn search_users(&self, query: &UserQuery) -> StoreResult<Vec<User>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM users WHERE ($1 IS NULL OR username_key > $1) \
             AND ($2 IS NULL OR id = $3 OR username_key LIKE $2 ESCAPE '\\' \
             OR email_key LIKE $2 ESCAPE '\\') \
             ORDER BY username_key LIMIT $4"
        );
        let pattern = query.text.as_ref().map(|t| format!("%{}%", escape_like(&t.to_lowercase())));
        let rows = crate::db::query(sql)
            .bind(query.after.clone())
            .bind(pattern)
            .bind(query.text.clone().unwrap_or_default())
            .bind(query.limit.clamp(1, 1000))
            .fetch_all(&self.db)
            .await
            .map_err(backend)?;
        rows.iter().map(from_row).collect()
    }

    async fn delete_user(&self, id: &str) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        for table in ["linked_identities", "mfa_totp", "mfa_recovery_codes", "passkeys"] {
            query(format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(id.to_owned())
                .execute(&mut tx)
                .await
                .map_err(backend)?;
        }
        let done = query("DELETE FROM users WHERE id = $1")
            .bind(id.to_owned())
            .execute(&mut tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}

/// Makes search text literal inside a `LIKE ... ESCAPE` pattern (backslash escapes).
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

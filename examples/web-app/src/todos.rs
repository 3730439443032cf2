//! Calls to todo-api with the signed-in user's access token. When the token has expired by
//! its `expires_in`, or todo-api answers 401, the app refreshes it once (storing the rotated
//! refresh token) and retries; when the refresh is refused the user must sign in again.

use serde::{Deserialize, Serialize};

use crate::oidc::{OidcClient, OidcError};
use crate::sessions::{SignedIn, Tokens};

/// Refresh this many seconds before the access token expires, for the request's own time.
const MARGIN: i64 = 30;

/// One to-do, as todo-api returns it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Todo {
    /// Its id.
    pub id: u64,
    /// What to do.
    pub title: String,
    /// Whether it is done.
    pub done: bool,
}

/// A call to todo-api.
#[derive(Debug, Clone, Copy)]
pub enum Call<'a> {
    /// `GET /todos`.
    List,
    /// `POST /todos` with this title.
    Add(&'a str),
}

/// todo-api's answer to a [`Call`].
#[derive(Debug)]
pub enum Answer {
    /// The user's to-dos.
    List(Vec<Todo>),
    /// The to-do was added.
    Added,
}

/// Why a call on the user's behalf did not succeed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The tokens are no longer good (the refresh was refused): sign in again.
    #[error("the sign-in has ended")]
    SignInAgain,
    /// todo-api or Keygate failed.
    #[error("{0}")]
    Failed(String),
}

/// A client of todo-api at one base URL.
pub struct TodoApi {
    http: reqwest::Client,
    base: String,
}

enum Refused {
    Unauthorized,
    Other(String),
}

impl TodoApi {
    /// todo-api at `base`, e.g. `http://127.0.0.1:3002`.
    pub fn new(http: reqwest::Client, base: &str) -> Self {
        Self { http, base: base.trim_end_matches('/').to_owned() }
    }

    async fn call(&self, token: &str, call: Call<'_>) -> Result<Answer, Refused> {
        let url = format!("{}/todos", self.base);
        let request = match call {
            Call::List => self.http.get(url),
            Call::Add(title) => self.http.post(url).json(&serde_json::json!({ "title": title })),
        };
        let failed = |e: reqwest::Error| Refused::Other(format!("todo-api: {e}"));
        let reply = request.bearer_auth(token).send().await.map_err(failed)?;
        let status = reply.status();
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(Refused::Unauthorized);
        }
        if !status.is_success() {
            let body = reply.text().await.unwrap_or_default();
            return Err(Refused::Other(format!("todo-api answered {status}: {body}")));
        }
        match call {
            Call::List => Ok(Answer::List(reply.json().await.map_err(failed)?)),
            Call::Add(_) => Ok(Answer::Added),
        }
    }

    /// Makes `call` as `user` at time `now`, refreshing the tokens in `user` when needed. The
    /// caller saves the session afterwards: its tokens may have changed.
    pub async fn call_as(
        &self,
        oidc: &OidcClient,
        user: &mut SignedIn,
        call: Call<'_>,
        now: i64,
    ) -> Result<Answer, CallError> {
        let mut refreshed = false;
        if user.tokens.expired(now, MARGIN) {
            refresh(oidc, &mut user.tokens, now).await?;
            refreshed = true;
        }
        let result = match self.call(&user.tokens.access_token, call).await {
            Err(Refused::Unauthorized) if !refreshed => {
                refresh(oidc, &mut user.tokens, now).await?;
                self.call(&user.tokens.access_token, call).await
            }
            other => other,
        };
        result.map_err(|refused| match refused {
            Refused::Unauthorized => {
                CallError::Failed("todo-api refused a fresh access token".into())
            }
            Refused::Other(why) => CallError::Failed(why),
        })
    }
}

/// Replaces `tokens` with new ones from the refresh grant (RFC 6749 §6). Keygate rotates
/// refresh tokens: the new one must be kept, the old one no longer works.
async fn refresh(oidc: &OidcClient, tokens: &mut Tokens, now: i64) -> Result<(), CallError> {
    let Some(refresh_token) = tokens.refresh_token.take() else {
        return Err(CallError::SignInAgain);
    };
    match oidc.refresh(&refresh_token).await {
        Ok(response) => {
            *tokens = Tokens::from_response(&response, Some(refresh_token), now);
            Ok(())
        }
        Err(OidcError::Refused { error, .. }) => {
            tracing::info!(%error, "refresh refused: the user signs in again");
            Err(CallError::SignInAgain)
        }
        Err(e) => {
            tokens.refresh_token = Some(refresh_token);
            Err(CallError::Failed(e.to_string()))
        }
    }
}

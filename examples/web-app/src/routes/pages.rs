//! The pages: home, profile (the ID token's claims) and the to-do list.

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{check_csrf, see_other};
use crate::WebApp;
use crate::pages::Failure;
use crate::seal::same;
use crate::sessions::{Session, SignedIn};
use crate::todos::{Answer, Call, CallError};

/// The query of `/`: Keygate adds the sign-out `state` when it sends the browser back.
#[derive(Deserialize)]
pub(super) struct HomeQuery {
    state: Option<String>,
}

/// `GET /`: who is signed in, or the sign-in link; "you have signed out" after a sign-out.
pub(super) async fn home(
    State(app): State<WebApp>,
    headers: HeaderMap,
    query: Result<Query<HomeQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let state = query.ok().and_then(|Query(q)| q.state);
    let mut signed_out = false;
    let session = match app.session(&headers) {
        Some((id, mut session)) => {
            let expected = session.signed_out_state.as_deref().unwrap_or_default();
            if !expected.is_empty() && state.as_deref().is_some_and(|s| same(s, expected)) {
                signed_out = true;
                session.signed_out_state = None;
                app.persist(Some(&id), &session)?;
            }
            session
        }
        None => Session::default(),
    };
    let ctx = context! {
        user_name => session.user.as_ref().map(SignedIn::display_name),
        csrf => session.csrf,
        signed_out,
    };
    Ok(app.0.pages.render(StatusCode::OK, "home.html", ctx))
}

#[derive(Serialize)]
struct Claim {
    name: String,
    value: String,
}

/// `GET /profile`: the ID token's claims as a table.
pub(super) async fn profile(
    State(app): State<WebApp>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (_, session) = app.signed_in(&headers)?;
    let Some(user) = &session.user else { return Err(Failure::SignIn) };
    let claims: Vec<Claim> = user
        .claims
        .iter()
        .map(|(name, value)| Claim {
            name: name.clone(),
            value: match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            },
        })
        .collect();
    let ctx = context! {
        user_name => user.display_name(),
        csrf => &session.csrf,
        claims => minijinja::value::Serde(&claims),
    };
    Ok(app.0.pages.render(StatusCode::OK, "profile.html", ctx))
}

/// Makes `call` to todo-api for the signed-in user and saves the session (the tokens may have
/// been refreshed). A refused refresh ends the sign-in: the user is sent to sign in again.
async fn call_todo_api(
    app: &WebApp,
    id: &str,
    session: &mut Session,
    call: Call<'_>,
) -> Result<Answer, Failure> {
    let Some(user) = session.user.as_mut() else { return Err(Failure::SignIn) };
    let result = app.0.todos.call_as(&app.0.oidc, user, call, app.now()).await;
    if matches!(result, Err(CallError::SignInAgain)) {
        session.user = None;
    }
    app.persist(Some(id), session)?;
    result.map_err(|e| match e {
        CallError::SignInAgain => Failure::SignIn,
        other => {
            let message = "todo-api did not answer as expected.";
            Failure::page(StatusCode::BAD_GATEWAY, "To-dos unavailable", message)
                .detail(other.to_string())
        }
    })
}

/// `GET /todos`: the user's to-dos from todo-api, and a form to add one.
pub(super) async fn todos(
    State(app): State<WebApp>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (id, mut session) = app.signed_in(&headers)?;
    let todos = match call_todo_api(&app, &id, &mut session, Call::List).await? {
        Answer::List(todos) => todos,
        Answer::Added => Vec::new(),
    };
    let ctx = context! {
        user_name => session.user.as_ref().map(SignedIn::display_name),
        csrf => &session.csrf,
        todos => minijinja::value::Serde(&todos),
    };
    Ok(app.0.pages.render(StatusCode::OK, "todos.html", ctx))
}

/// The add-a-to-do form.
#[derive(Deserialize)]
pub(super) struct NewTodo {
    csrf: String,
    title: String,
}

/// `POST /todos`: adds a to-do through todo-api, then shows the list again.
pub(super) async fn add_todo(
    State(app): State<WebApp>,
    headers: HeaderMap,
    form: Result<Form<NewTodo>, FormRejection>,
) -> Result<Response, Failure> {
    let (id, mut session) = app.signed_in(&headers)?;
    let Ok(Form(form)) = form else {
        return Err(Failure::page(
            StatusCode::BAD_REQUEST,
            "Not added",
            "The form was incomplete.",
        ));
    };
    check_csrf(&session, &form.csrf)?;
    let title = form.title.trim();
    if !title.is_empty() {
        call_todo_api(&app, &id, &mut session, Call::Add(title)).await?;
    }
    Ok(see_other("/todos", None))
}

/// `GET /style.css`.
pub(super) async fn style() -> Response {
    let headers = [(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "max-age=3600")];
    (headers, crate::pages::STYLE).into_response()
}

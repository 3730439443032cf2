//! The HTML pages: templates compiled into the binary and rendered with auto-escaping (every
//! value from Keygate or the user is text, never markup).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::{Environment, Value, context};

/// The page templates.
pub(crate) struct Pages {
    env: Environment<'static>,
}

/// The stylesheet, served at `/style.css`.
pub(crate) const STYLE: &str = include_str!("../templates/style.css");

impl Pages {
    pub(crate) fn new() -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        env.add_template("layout.html", include_str!("../templates/layout.html"))?;
        env.add_template("home.html", include_str!("../templates/home.html"))?;
        env.add_template("profile.html", include_str!("../templates/profile.html"))?;
        env.add_template("todos.html", include_str!("../templates/todos.html"))?;
        env.add_template("logout.html", include_str!("../templates/logout.html"))?;
        env.add_template("error.html", include_str!("../templates/error.html"))?;
        Ok(Self { env })
    }

    /// Renders `name` with `ctx`.
    pub(crate) fn render(&self, status: StatusCode, name: &str, ctx: Value) -> Response {
        match self.env.get_template(name).and_then(|t| t.render(ctx)) {
            Ok(html) => {
                (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
            }
            Err(e) => {
                tracing::error!(error = %e, template = name, "page rendering failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be shown").into_response()
            }
        }
    }

    /// The page for a failure.
    pub(crate) fn error(&self, page: &ErrorPage) -> Response {
        let ctx = context! {
            title => page.title,
            message => page.message,
            detail => page.detail.clone(),
            retry => page.retry,
        };
        self.render(page.status, "error.html", ctx)
    }
}

/// Why a request did not succeed: a page to show, or "sign in (again)".
#[derive(Debug)]
pub(crate) enum Failure {
    /// Show an error page.
    Page(ErrorPage),
    /// Send the browser to `/login`.
    SignIn,
}

/// What an error page says.
#[derive(Debug, Clone)]
pub(crate) struct ErrorPage {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: &'static str,
    /// Technical detail (e.g. Keygate's error code), shown small.
    pub detail: Option<String>,
    /// Offer to sign in again.
    pub retry: bool,
}

impl Failure {
    /// A page with `status`, `title` and `message`.
    pub(crate) fn page(status: StatusCode, title: &'static str, message: &'static str) -> Self {
        Self::Page(ErrorPage { status, title, message, detail: None, retry: false })
    }

    /// Something on this server failed; the detail goes to the log only.
    pub(crate) fn internal(detail: &str) -> Self {
        tracing::error!(detail, "request failed");
        Self::page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "Please try again.")
    }

    /// Adds technical detail.
    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        if let Self::Page(page) = &mut self {
            page.detail = Some(detail.into());
        }
        self
    }

    /// Offers to sign in again.
    pub(crate) fn retry(mut self) -> Self {
        if let Self::Page(page) = &mut self {
            page.retry = true;
        }
        self
    }
}

impl From<crate::oidc::OidcError> for Failure {
    fn from(e: crate::oidc::OidcError) -> Self {
        tracing::warn!(error = %e, "Keygate request failed");
        Self::page(StatusCode::BAD_GATEWAY, "Sign-in failed", "Keygate's answer could not be used.")
            .detail(e.to_string())
            .retry()
    }
}

/// The page is rendered by [`render_failures`], which has the templates: the response carries
/// the page as an extension until then.
impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Self::SignIn => crate::routes::see_other("/login", None),
            Self::Page(page) => {
                let mut response = page.status.into_response();
                response.extensions_mut().insert(page);
                response
            }
        }
    }
}

/// Middleware: turns a response carrying an [`ErrorPage`] into that page.
pub(crate) async fn render_failures(
    axum::extract::State(app): axum::extract::State<crate::WebApp>,
    response: Response,
) -> Response {
    match response.extensions().get::<ErrorPage>() {
        Some(page) => app.0.pages.error(page),
        None => response,
    }
}

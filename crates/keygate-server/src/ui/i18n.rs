//! End-user pages in the user's language: Project Fluent catalogs, one per language (built in
//! from `ui/locales/{tag}.ftl`; `[ui] locales_dir` adds languages and overrides messages
//! without a rebuild), and the language chosen per request from, in order:
//!
//! 1. the authorization request's `ui_locales` (OpenID Connect Core §3.1.2.1), for the pages of
//!    that request;
//! 2. the language the user picked on a page (the `keygate_lang` cookie, set by
//!    `GET /language`);
//! 3. `Accept-Language` (RFC 9110 §12.5.4);
//! 4. English.
//!
//! Templates call `t("message-id", name=value, ...)`: values are HTML-escaped (a value already
//! marked safe, such as a link the template built, is kept), the catalog's own markup is kept.
//! A message a catalog lacks comes from English.

use std::path::Path;

use axum::extract::{Query, Request};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The product's name in messages (`$product`).
pub const PRODUCT: &str = "Keygate";
/// Where the language picker's links go.
pub const PATH: &str = "/language";
/// The cookie that keeps the language a user picked.
pub const COOKIE: &str = "keygate_lang";
/// How long the picked language is remembered (a year).
const COOKIE_MAX_AGE: u32 = 365 * 86_400;

/// The built-in catalogs: English first, the reference.
const BUILT_IN: [(&str, &str); 7] = [
    ("en", include_str!("locales/en.ftl")),
    ("de", include_str!("locales/de.ftl")),
    ("fr", include_str!("locales/fr.ftl")),
    ("es", include_str!("locales/es.ftl")),
    ("pt-BR", include_str!("locales/pt-BR.ftl")),
    ("ja", include_str!("locales/ja.ftl")),
    ("ar", include_str!("locales/ar.ftl")),
];

/// Scripts written right to left, by primary language subtag.
const RIGHT_TO_LEFT: [&str; 6] = ["ar", "fa", "he", "ur", "ps", "yi"];

/// One language's messages.
pub struct Catalog {
    /// The BCP 47 tag, as in `lang` attributes and `ui_locales_supported`.
    pub tag: String,
    id: LanguageIdentifier,
    bundle: FluentBundle<FluentResource>,
    /// The ids of its messages.
    ids: Vec<String>,
}

impl Catalog {
    /// `rtl` or `ltr`, for the `dir` attribute.
    pub fn direction(&self) -> &'static str {
        if RIGHT_TO_LEFT.contains(&self.id.language.as_str()) { "rtl" } else { "ltr" }
    }

    /// The language's own name (its `language-name` message).
    pub fn name(&self) -> String {
        self.format("language-name", None).unwrap_or_else(|| self.tag.clone())
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(language = %self.tag, message = id, ?errors, "a message did not format cleanly");
        }
        Some(text.into_owned())
    }
}

/// Every language Keygate speaks.
pub struct Catalogs {
    /// English first.
    list: Vec<Catalog>,
    /// Message ids by their English text, for texts made in code ([`Catalogs::translate`]).
    by_english: std::collections::HashMap<String, String>,
}

impl std::fmt::Debug for Catalogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.list.iter().map(|c| &c.tag)).finish()
    }
}

impl Catalogs {
    /// The built-in catalogs plus, from `dir`, one `{tag}.ftl` per language: a new language,
    /// or messages that replace built-in ones. A file that does not parse is an error naming
    /// it and the line.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut sources: Vec<(String, String, String)> = BUILT_IN
            .iter()
            .map(|(tag, text)| {
                ((*tag).to_owned(), format!("built-in {tag}.ftl"), (*text).to_owned())
            })
            .collect();
        if let Some(dir) = dir {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| anyhow::anyhow!("ui.locales_dir {}: {e}", dir.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                .collect();
            files.sort();
            for path in files {
                let tag = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                sources.push((tag, path.display().to_string(), text));
            }
        }
        let mut list: Vec<Catalog> = Vec::new();
        for (tag, origin, text) in sources {
            let resource = parse(&origin, text)?;
            let ids = message_ids(&resource);
            match list.iter_mut().find(|c| c.tag.eq_ignore_ascii_case(&tag)) {
                Some(catalog) => {
                    catalog.bundle.add_resource_overriding(resource);
                    let new: Vec<String> =
                        ids.into_iter().filter(|i| !catalog.ids.contains(i)).collect();
                    catalog.ids.extend(new);
                }
                None => {
                    let id: LanguageIdentifier = tag
                        .parse()
                        .map_err(|_| anyhow::anyhow!("{origin}: '{tag}' is not a language tag"))?;
                    let mut bundle = FluentBundle::new_concurrent(vec![id.clone()]);
                    bundle.set_use_isolating(false);
                    bundle
                        .add_resource(resource)
                        .map_err(|e| anyhow::anyhow!("{origin}: {e:?}"))?;
                    list.push(Catalog { tag: id.to_string(), id, bundle, ids });
                }
            }
        }
        let mut catalogs = Self { list, by_english: Default::default() };
        let english = catalogs.english();
        let by_english = english
            .ids
            .iter()
            .filter_map(|id| english.format(id, None).map(|text| (text, id.clone())))
            .collect();
        catalogs.by_english = by_english;
        Ok(catalogs)
    }

    /// A text made in code, in `catalog`'s language when a message has exactly these English
    /// words (the `text-*` messages), else as it is: fixed texts of error pages and notices
    /// are translated by adding a message, without touching the code that makes them.
    pub fn translate(&self, catalog: &Catalog, text: &str) -> String {
        match self.by_english.get(text) {
            Some(id) => self.message(catalog, id, &FluentArgs::new()),
            None => text.to_owned(),
        }
    }

    /// The tags of every language, English first (discovery's `ui_locales_supported`).
    pub fn tags(&self) -> Vec<String> {
        self.list.iter().map(|c| c.tag.clone()).collect()
    }

    /// Every catalog, English first.
    pub fn all(&self) -> &[Catalog] {
        &self.list
    }

    fn english(&self) -> &Catalog {
        &self.list[0]
    }

    /// The catalog for `tag` exactly (ignoring case), if Keygate has it.
    pub fn get(&self, tag: &str) -> Option<&Catalog> {
        self.list.iter().find(|c| c.tag.eq_ignore_ascii_case(tag))
    }

    /// The language for a request: the first of `ui_locales`, the picked language and
    /// `Accept-Language` that matches a catalog, else English.
    pub fn negotiate(&self, ui_locales: Option<&str>, asked: &Asked) -> &Catalog {
        let picked = asked.cookie.as_ref().and_then(|v| v.to_str().ok()).and_then(picked_language);
        let accept = asked.accept_language.as_ref().and_then(|v| v.to_str().ok());
        let lists = [
            ui_locales.map(|l| l.split_ascii_whitespace().filter_map(|t| t.parse().ok()).collect()),
            picked.map(|tag| tag.parse().ok().into_iter().collect()),
            accept.map(fluent_langneg::accepted_languages::parse),
        ];
        lists
            .into_iter()
            .flatten()
            .find_map(|wanted: Vec<LanguageIdentifier>| self.best(&wanted))
            .unwrap_or(self.english())
    }

    /// RFC 4647 lookup-style matching: an exact tag, then the same language in any region.
    fn best(&self, wanted: &[LanguageIdentifier]) -> Option<&Catalog> {
        let available: Vec<&LanguageIdentifier> = self.list.iter().map(|c| &c.id).collect();
        let chosen = fluent_langneg::negotiate_languages(
            wanted,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        let chosen = chosen.first()?;
        self.list.iter().find(|c| c.id == ***chosen)
    }

    /// The catalog of the page being rendered (its `lang`), else English.
    fn of_page(&self, state: &minijinja::State) -> &Catalog {
        let lang = state.lookup("lang");
        lang.as_ref().and_then(|l| l.as_str()).and_then(|l| self.get(l)).unwrap_or(self.english())
    }

    /// Message `id` in `catalog` (else in English, else the id itself) with `args`.
    pub fn message(&self, catalog: &Catalog, id: &str, args: &FluentArgs) -> String {
        catalog
            .format(id, Some(args))
            .or_else(|| self.english().format(id, Some(args)))
            .unwrap_or_else(|| {
                tracing::warn!(message = id, "no catalog has this message");
                id.to_owned()
            })
    }

    /// Messages each catalog lacks or has beyond English: `(tag, missing, extra)`.
    pub fn differences(&self) -> Vec<(String, Vec<String>, Vec<String>)> {
        let english = &self.english().ids;
        self.list[1..]
            .iter()
            .map(|c| {
                let ids = &c.ids;
                let missing = english.iter().filter(|i| !ids.contains(i)).cloned().collect();
                let extra = ids.iter().filter(|i| !english.contains(i)).cloned().collect();
                (c.tag.clone(), missing, extra)
            })
            .filter(|(_, missing, extra): &(String, Vec<String>, Vec<String>)| {
                !missing.is_empty() || !extra.is_empty()
            })
            .collect()
    }
}

/// Parses a catalog; a syntax error names the file and the line.
fn parse(origin: &str, text: String) -> anyhow::Result<FluentResource> {
    let source = text.clone();
    FluentResource::try_new(text).map_err(|(_, errors)| {
        let first = errors.first().map(|e| {
            let line = source[..e.pos.start.min(source.len())].matches('\n').count() + 1;
            format!("line {line}: {:?}", e.kind)
        });
        anyhow::anyhow!("{origin}: {}", first.unwrap_or_default())
    })
}

/// The ids of the messages of `resource`.
fn message_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// What a request says about its language, kept for the page it renders.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    cookie: Option<HeaderValue>,
    accept_language: Option<HeaderValue>,
    /// The request's path and query, when it was a GET (a page the picker can return to).
    here: Option<String>,
}

impl Asked {
    /// The GET request's path and query.
    pub fn here(&self) -> Option<&str> {
        self.here.as_deref()
    }
}

tokio::task_local! {
    static ASKED: Asked;
}

/// The request's [`Asked`] (the default outside a request).
pub fn asked() -> Asked {
    ASKED.try_with(Clone::clone).unwrap_or_default()
}

/// Middleware: keeps what the request says about its language for the page it renders
/// (header values are reference-counted, so this copies no bytes).
pub async fn remember(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let get = request.method() == axum::http::Method::GET;
    let asked = Asked {
        cookie: headers.get(header::COOKIE).cloned(),
        accept_language: headers.get(header::ACCEPT_LANGUAGE).cloned(),
        here: get.then(|| request.uri().path_and_query().map(ToString::to_string)).flatten(),
    };
    ASKED.scope(asked, next.run(request)).await
}

/// The `keygate_lang` value of a `Cookie` header.
fn picked_language(cookies: &str) -> Option<&str> {
    cookies.split(';').find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// `GET /language?lang=TAG&back=PATH`.
#[derive(serde::Deserialize)]
pub struct Choice {
    lang: String,
    back: Option<String>,
}

/// `GET /language`: remembers the language the user picked and returns to the page (a path on
/// this server only: never another site).
pub async fn choose(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    Query(choice): Query<Choice>,
) -> Response {
    let Some(catalog) = state.pages.catalogs().get(&choice.lang) else {
        return (StatusCode::BAD_REQUEST, "unknown language").into_response();
    };
    let back = choice.back.filter(|b| is_local_path(b)).unwrap_or_else(|| "/".to_owned());
    let secure = if state.provider.issuer().starts_with("https://") { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly{secure}",
        catalog.tag
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(cookie), Ok(back)) = (HeaderValue::from_str(&cookie), HeaderValue::from_str(&back)) {
        headers.insert(header::SET_COOKIE, cookie);
        headers.insert(header::LOCATION, back);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A path on this server: starts with one `/`, and is not `//host` or `/\host`.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.parse::<Uri>().is_ok_and(|u| u.scheme().is_none() && u.authority().is_none())
}

/// The language picker: each language's name and the link that picks it, returning to
/// `here`.
pub fn picker(
    catalogs: &Catalogs,
    current: &Catalog,
    issuer: &str,
    here: &str,
) -> minijinja::Value {
    let back: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    let list: Vec<minijinja::Value> = catalogs
        .all()
        .iter()
        .map(|c| {
            minijinja::context! {
                tag => &c.tag,
                name => c.name(),
                current => c.tag == current.tag,
                url => format!("{issuer}{PATH}?lang={}&back={back}", c.tag),
            }
        })
        .collect();
    minijinja::Value::from(list)
}

/// The `t()` template function over `catalogs`, in the language the template's `lang` names.
pub fn translator(
    catalogs: std::sync::Arc<Catalogs>,
) -> impl Fn(
    &minijinja::State,
    String,
    minijinja::value::Kwargs,
) -> Result<minijinja::Value, minijinja::Error>
+ Send
+ Sync
+ 'static {
    move |state, id, kwargs| {
        let catalog = catalogs.of_page(state);
        let mut args = FluentArgs::new();
        args.set("product", PRODUCT);
        for name in kwargs.args() {
            let value: minijinja::Value = kwargs.get(name)?;
            args.set(name.to_owned(), fluent_value(&value));
        }
        Ok(minijinja::Value::from_safe_string(catalogs.message(catalog, &id, &args)))
    }
}

/// The `tr()` template function: a text made in code, translated by its English words
/// ([`Catalogs::translate`]), HTML-escaped.
pub fn text_translator(
    catalogs: std::sync::Arc<Catalogs>,
) -> impl Fn(&minijinja::State, String) -> minijinja::Value + Send + Sync + 'static {
    move |state, text| {
        let catalog = catalogs.of_page(state);
        minijinja::Value::from(catalogs.translate(catalog, &text))
    }
}

/// A template value as a Fluent argument: numbers stay numbers (plural rules), text is
/// HTML-escaped unless the template marked it safe.
fn fluent_value(value: &minijinja::Value) -> FluentValue<'static> {
    if let Some(n) = value.as_i64() {
        return FluentValue::from(n);
    }
    let text = value.to_string();
    if value.is_safe() {
        FluentValue::from(text)
    } else {
        FluentValue::from(minijinja::HtmlEscape(&text).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogs() -> Catalogs {
        Catalogs::load(None).unwrap_or_else(|e| panic!("built-in catalogs: {e}"))
    }

    fn asked(cookie: Option<&str>, accept: Option<&str>) -> Asked {
        Asked {
            cookie: cookie.and_then(|c| HeaderValue::from_str(c).ok()),
            accept_language: accept.and_then(|a| HeaderValue::from_str(a).ok()),
            here: None,
        }
    }

    #[test]
    fn every_catalog_has_exactly_the_messages_english_has() {
        let differences = catalogs().differences();
        assert!(differences.is_empty(), "catalogs differ from English: {differences:?}");
    }

    #[test]
    fn oidc_core_3_1_2_1_ui_locales_then_the_picked_language_then_accept_language() {
        let c = catalogs();
        let all = asked(Some("a=b; keygate_lang=fr"), Some("de-CH, de;q=0.9, en;q=0.5"));
        assert_eq!(c.negotiate(Some("ja en"), &all).tag, "ja");
        assert_eq!(c.negotiate(Some("tlh"), &all).tag, "fr", "no catalog for ui_locales");
        assert_eq!(c.negotiate(None, &all).tag, "fr");
        assert_eq!(c.negotiate(None, &asked(None, Some("de-CH, en;q=0.5"))).tag, "de");
        assert_eq!(c.negotiate(None, &asked(None, Some("pt-BR"))).tag, "pt-BR");
        assert_eq!(c.negotiate(None, &asked(None, Some("tlh, ar;q=0.1"))).tag, "ar");
        assert_eq!(c.negotiate(None, &asked(None, None)).tag, "en");
    }

    #[test]
    fn plural_rules_follow_the_language() {
        let c = catalogs();
        let left = |tag: &str, n: i64| {
            let mut args = FluentArgs::new();
            args.set("left", n);
            let catalog = c.get(tag).unwrap_or(c.english());
            c.message(catalog, "mfa-used", &args)
        };
        assert!(
            left("en", 1).ends_with("<strong>1</strong> recovery code left."),
            "{}",
            left("en", 1)
        );
        assert!(
            left("en", 9).ends_with("<strong>9</strong> recovery codes left."),
            "{}",
            left("en", 9)
        );
        // Arabic has six plural forms: two is its own, three to ten are "few".
        assert!(left("ar", 2).contains("رمزا استرداد"), "{}", left("ar", 2));
        assert!(left("ar", 5).contains("<strong>5</strong> رموز استرداد"), "{}", left("ar", 5));
    }

    #[test]
    fn texts_made_in_code_are_translated_by_their_english_words() {
        let c = catalogs();
        let de = c.get("de").unwrap_or(c.english());
        assert_eq!(c.translate(de, "Page not found"), "Seite nicht gefunden");
        assert_eq!(c.translate(de, "Made up just now."), "Made up just now.");
    }

    #[test]
    fn arabic_is_right_to_left() {
        let c = catalogs();
        assert_eq!(c.get("ar").map(Catalog::direction), Some("rtl"));
        assert_eq!(c.get("de").map(Catalog::direction), Some("ltr"));
    }

    #[test]
    fn the_language_picker_returns_only_to_paths_of_this_server() {
        assert!(is_local_path("/login?req=abc"));
        for bad in ["//evil.example/", "/\\evil.example", "https://evil.example/", "login"] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }

    #[test]
    fn an_operator_catalog_overrides_messages_and_adds_languages() {
        let dir = std::env::temp_dir().join(format!("kglocales-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("de.ftl"), "login-heading = Einloggen\n");
        let _ = std::fs::write(
            dir.join("nl.ftl"),
            "language-name = Nederlands\nlogin-heading = Inloggen\n",
        );
        let loaded = Catalogs::load(Some(&dir));
        let _ = std::fs::write(dir.join("bad.ftl"), "login-heading = {\n");
        let broken = Catalogs::load(Some(&dir));
        let _ = std::fs::remove_dir_all(&dir);
        let c = loaded.unwrap_or_else(|e| panic!("{e}"));
        let args = FluentArgs::new();
        let de = c.get("de").unwrap_or(c.english());
        assert_eq!(c.message(de, "login-heading", &args), "Einloggen");
        assert_eq!(c.message(de, "login-submit", &args), "Anmelden");
        let nl = c.get("nl").unwrap_or(c.english());
        assert_eq!(nl.name(), "Nederlands");
        assert_eq!(c.message(nl, "login-password", &args), "Password", "English fills gaps");
        let problem = broken.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(problem.contains("bad.ftl") && problem.contains("line "), "{problem}");
    }
}

//! End-user pages in the user's language: Project Fluent catalogs, one per language (built in
//! from `ui/locales/{tag}.ftl`; `[ui] locales_dir` adds languages and overrides messages
//! without a rebuild), and the language chosen per request from, in order:
//!
//! 1. the authorization request's `ui_locales` (OpenID Connect Core §3.1.2.1), for the pages of
//!    that request;
//! 2. the language the user picked on a page (the `kg_lang` cookie, `__Host-` on https, set
//!    by `GET /language`; the picker is not shown where `ui_locales` decided);
//! 3. `Accept-Language` by weight, `q=0` meaning not acceptable (RFC 9110 §12.5.4);
//! 4. English.
//!
//! Templates call `t("message-id", name=value, ...)`: values are HTML-escaped (a value already
//! marked safe, such as a link the template built, is kept), the catalog's own markup is kept.
//! A message a catalog lacks comes from English. `tr("English words")` translates a fixed
//! text made in code when a `text-*` message has exactly those words.

use std::collections::{BTreeSet, HashMap};
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
/// How long the picked language is remembered (a year).
const COOKIE_MAX_AGE: i64 = 365 * 86_400;
/// The most language tags read from `ui_locales` or `Accept-Language`.
const MAX_TAGS: usize = 16;

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
    /// Its messages' ids, each with the variables it uses.
    ids: Vec<(String, BTreeSet<String>)>,
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
    /// `text-*` message ids by their English text ([`Catalogs::translate`]).
    by_english: HashMap<String, String>,
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
            let ids = message_variables(&resource);
            let id: LanguageIdentifier = tag
                .replace('_', "-")
                .parse()
                .map_err(|_| anyhow::anyhow!("{origin}: '{tag}' is not a language tag"))?;
            match list.iter_mut().find(|c| c.id == id) {
                Some(catalog) => {
                    catalog.bundle.add_resource_overriding(resource);
                    for (message, vars) in ids {
                        catalog.ids.retain(|(m, _)| *m != message);
                        catalog.ids.push((message, vars));
                    }
                }
                None => {
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
            .filter(|(id, _)| id.starts_with("text-"))
            .filter_map(|(id, _)| english.format(id, None).map(|text| (text, id.clone())))
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

    /// The language for a request, and what decided it: the first of `ui_locales`, the
    /// language picked on a page (cookie `cookie`) and `Accept-Language` that matches a
    /// catalog, else English.
    pub fn negotiate(
        &self,
        ui_locales: Option<&str>,
        asked: &Asked,
        cookie: &str,
    ) -> (&Catalog, Decided) {
        let from_ui_locales = ui_locales.map(|l| {
            l.split_ascii_whitespace().take(MAX_TAGS).filter_map(language_tag).collect::<Vec<_>>()
        });
        if let Some(found) = from_ui_locales.and_then(|wanted| self.best(&wanted)) {
            return (found, Decided::UiLocales);
        }
        let picked = asked.picked(cookie).and_then(language_tag);
        if let Some(found) = picked.and_then(|id| self.best(&[id])) {
            return (found, Decided::Picked);
        }
        let accept = asked.accept_language.as_ref().and_then(|v| v.to_str().ok());
        if let Some(found) = accept.map(accepted_languages).and_then(|wanted| self.best(&wanted)) {
            return (found, Decided::AcceptLanguage);
        }
        (self.english(), Decided::Default)
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
                minijinja::HtmlEscape(id).to_string()
            })
    }

    /// How each catalog differs from English.
    pub fn differences(&self) -> Vec<Difference> {
        let english: HashMap<&str, &BTreeSet<String>> =
            self.english().ids.iter().map(|(id, vars)| (id.as_str(), vars)).collect();
        let mut found = Vec::new();
        for catalog in &self.list[1..] {
            let own: HashMap<&str, &BTreeSet<String>> =
                catalog.ids.iter().map(|(id, vars)| (id.as_str(), vars)).collect();
            let missing = sorted(english.keys().filter(|id| !own.contains_key(*id)));
            let extra = sorted(own.keys().filter(|id| !english.contains_key(*id)));
            let variables = sorted(
                own.iter()
                    .filter(|(id, v)| english.get(*id).is_some_and(|e| e != *v))
                    .map(|(id, _)| id),
            );
            if !(missing.is_empty() && extra.is_empty() && variables.is_empty()) {
                found.push(Difference { tag: catalog.tag.clone(), missing, extra, variables });
            }
        }
        found
    }
}

/// How a catalog differs from English.
#[derive(Debug)]
pub struct Difference {
    /// The catalog's language.
    pub tag: String,
    /// Messages English has and it lacks.
    pub missing: Vec<String>,
    /// Messages it has and English does not.
    pub extra: Vec<String>,
    /// Messages whose variables are not English's.
    pub variables: Vec<String>,
}

fn sorted<'a>(ids: impl Iterator<Item = &'a &'a str>) -> Vec<String> {
    let mut list: Vec<String> = ids.map(|id| (*id).to_owned()).collect();
    list.sort();
    list
}

/// Parses a catalog; a syntax error names the file and the line.
fn parse(origin: &str, text: String) -> anyhow::Result<FluentResource> {
    let source = text.clone();
    FluentResource::try_new(text).map_err(|(_, errors)| {
        let first = errors.first().map(|e| {
            let before = &source.as_bytes()[..e.pos.start.min(source.len())];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            format!("line {line}: {:?}", e.kind)
        });
        anyhow::anyhow!("{origin}: {}", first.unwrap_or_default())
    })
}

/// The messages of `resource`, each with the variables it uses.
fn message_variables(resource: &FluentResource) -> Vec<(String, BTreeSet<String>)> {
    use fluent_syntax::ast::Entry;
    resource
        .entries()
        .filter_map(|entry| match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &m.value {
                    pattern_variables(pattern, &mut vars);
                }
                Some((m.id.name.to_owned(), vars))
            }
            _ => None,
        })
        .collect()
}

fn pattern_variables(pattern: &fluent_syntax::ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let fluent_syntax::ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, vars);
        }
    }
}

fn expression_variables(
    expression: &fluent_syntax::ast::Expression<&str>,
    vars: &mut BTreeSet<String>,
) {
    use fluent_syntax::ast::{Expression, InlineExpression};
    let inline = |e: &InlineExpression<&str>, vars: &mut BTreeSet<String>| match e {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, vars),
        _ => {}
    };
    match expression {
        Expression::Inline(e) => inline(e, vars),
        Expression::Select { selector, variants } => {
            inline(selector, vars);
            for variant in variants {
                pattern_variables(&variant.value, vars);
            }
        }
    }
}

/// A BCP 47 tag as a language: extensions (`-u-`, `-t-`, `-x-`) are cut off, so that
/// `de-DE-u-co-phonebk` still means German (RFC 4647 §3.4).
fn language_tag(tag: &str) -> Option<LanguageIdentifier> {
    let lower = tag.to_ascii_lowercase();
    let cut = ["-u-", "-t-", "-x-"].iter().filter_map(|x| lower.find(x)).min();
    tag[..cut.unwrap_or(tag.len())].parse().ok()
}

/// `Accept-Language` (RFC 9110 §12.5.4): the tags by weight, highest first (ties in order),
/// without those of `q=0` (not acceptable) and `*`.
fn accepted_languages(header: &str) -> Vec<LanguageIdentifier> {
    let mut ranked: Vec<(f32, usize, LanguageIdentifier)> = header
        .split(',')
        .take(MAX_TAGS)
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = match parts.find_map(|p| p.trim().strip_prefix("q=")) {
                Some(value) => value.trim().parse::<f32>().ok()?,
                None => 1.0,
            };
            if q <= 0.0 || tag == "*" {
                return None;
            }
            Some((q, i, language_tag(tag)?))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, _, id)| id).collect()
}

/// What decided a page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// The authorization request's `ui_locales`.
    UiLocales,
    /// The language picked on a page.
    Picked,
    /// `Accept-Language`.
    AcceptLanguage,
    /// Nothing: English.
    Default,
}

/// What a request says about its language, kept for the page it renders.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    /// Every `Cookie` header (over HTTP/2 each cookie may come in its own).
    cookies: Vec<HeaderValue>,
    accept_language: Option<HeaderValue>,
    /// The request's path and query, when it was a GET (a page the picker can return to).
    here: Option<String>,
}

impl Asked {
    /// The GET request's path and query.
    pub fn here(&self) -> Option<&str> {
        self.here.as_deref()
    }

    /// The value of cookie `name`.
    fn picked(&self, name: &str) -> Option<&str> {
        super::cookies::find(self.cookies.iter(), name)
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
        cookies: headers.get_all(header::COOKIE).iter().cloned().collect(),
        accept_language: headers.get(header::ACCEPT_LANGUAGE).cloned(),
        here: get.then(|| request.uri().path_and_query().map(ToString::to_string)).flatten(),
    };
    ASKED.scope(asked, next.run(request)).await
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
    let prefix = url::Url::parse(state.provider.issuer())
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let under_issuer = |b: &String| b == &prefix || b.starts_with(&format!("{prefix}/"));
    let back =
        choice.back.filter(|b| is_local_path(b) && under_issuer(b)).unwrap_or(format!("{prefix}/"));
    let cookie = state.cookies.set(state.cookies.lang, &catalog.tag, Some(COOKIE_MAX_AGE));
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    let back = HeaderValue::from_str(&back).unwrap_or(HeaderValue::from_static("/"));
    headers.insert(header::LOCATION, back);
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

/// The `isolate` template filter: `value` between Unicode FSI and PDI (UAX #9), so that a
/// name someone else chose (an application's, a host) cannot reorder the words around it with
/// right-to-left characters or overrides. Only for names: never for codes or keys people copy.
pub fn isolate(value: String) -> String {
    format!("\u{2068}{value}\u{2069}")
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
            cookies: cookie.and_then(|c| HeaderValue::from_str(c).ok()).into_iter().collect(),
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
        let tag = |ui: Option<&str>, asked: &Asked| c.negotiate(ui, asked, "kg_lang").0.tag.clone();
        let all = asked(Some("a=b; kg_lang=fr"), Some("de-CH, de;q=0.9, en;q=0.5"));
        assert_eq!(tag(Some("ja en"), &all), "ja");
        assert_eq!(c.negotiate(Some("ja"), &all, "kg_lang").1, Decided::UiLocales);
        assert_eq!(tag(Some("tlh"), &all), "fr", "no catalog for ui_locales");
        assert_eq!(tag(None, &all), "fr");
        assert_eq!(tag(None, &asked(None, Some("de-CH, en;q=0.5"))), "de");
        assert_eq!(tag(None, &asked(None, Some("pt-BR"))), "pt-BR");
        assert_eq!(tag(None, &asked(None, Some("tlh, ar;q=0.1"))), "ar");
        assert_eq!(tag(None, &asked(None, None)), "en");
        assert_eq!(tag(Some("de-DE-u-co-phonebk"), &asked(None, None)), "de", "extensions cut");
    }

    #[test]
    fn rfc9110_12_5_4_accept_language_by_weight_and_q_0_is_not_acceptable() {
        let c = catalogs();
        let tag =
            |accept: &str| c.negotiate(None, &asked(None, Some(accept)), "kg_lang").0.tag.clone();
        assert_eq!(tag("en;q=0.1, de;q=0.9"), "de");
        assert_eq!(tag("fr;q=0, es"), "es");
        assert_eq!(tag("fr;q=0"), "en", "nothing acceptable: the default");
        assert_eq!(tag("ja;q=0.5, *;q=0.9"), "ja");
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
    fn uax9_a_name_is_isolated_so_it_cannot_reorder_the_words_around_it() {
        let isolated = isolate("evil\u{202e}moc.elpmaxe".to_owned());
        assert!(isolated.starts_with('\u{2068}') && isolated.ends_with('\u{2069}'), "{isolated}");
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

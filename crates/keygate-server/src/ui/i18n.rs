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

use axum::extract::{Query, Request};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentArgs;
use unic_langid::LanguageIdentifier;

/// Where the language picker's links go.
pub const PATH: &str = "/language";
/// How long the picked language is remembered (a year).
const COOKIE_MAX_AGE: i64 = 365 * 86_400;
pub use keygate_core::i18n::{Catalog, Catalogs, Difference, MAX_TAGS, language_tag};

/// Choosing a page's language among the catalogs.
pub trait Negotiate {
    /// The language for a request, and what decided it.
    fn negotiate(
        &self,
        ui_locales: Option<&str>,
        asked: &Asked,
        cookie: &str,
    ) -> (&Catalog, Decided);
    /// The catalog of the page being rendered (its `lang`), else English.
    fn of_page(&self, state: &minijinja::State) -> &Catalog;
}

impl Negotiate for Catalogs {
    /// The language for a request, and what decided it: the first of `ui_locales`, the
    /// language picked on a page (cookie `cookie`) and `Accept-Language` that matches a
    /// catalog, else English.
    fn negotiate(
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

    /// The catalog of the page being rendered (its `lang`), else English.
    fn of_page(&self, state: &minijinja::State) -> &Catalog {
        let lang = state.lookup("lang");
        lang.as_ref().and_then(|l| l.as_str()).and_then(|l| self.get(l)).unwrap_or(self.english())
    }
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

    /// The languages asked for, best first: the one picked on a page (cookie `cookie`), then
    /// `Accept-Language` by weight. Nothing is parsed when neither header came.
    fn languages(&self, cookie: &str) -> Vec<String> {
        let mut languages: Vec<String> = Vec::new();
        if !self.cookies.is_empty()
            && let Some(picked) = self.picked(cookie)
        {
            languages.push(picked.to_owned());
        }
        let accept = self.accept_language.as_ref().and_then(|v| v.to_str().ok());
        if let Some(accept) = accept {
            languages.extend(accepted_languages(accept).iter().map(ToString::to_string));
        }
        languages
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
/// (header values are reference-counted, so this copies no bytes), and the languages it asks
/// for, best first, for the emails it sends ([`keygate_core::i18n::requested`]).
pub async fn remember(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let get = request.method() == axum::http::Method::GET;
    let asked = Asked {
        cookies: headers.get_all(header::COOKIE).iter().cloned().collect(),
        accept_language: headers.get(header::ACCEPT_LANGUAGE).cloned(),
        here: get.then(|| request.uri().path_and_query().map(ToString::to_string)).flatten(),
    };
    let languages = asked.languages(state.cookies.lang);
    let run = keygate_core::i18n::speaking(languages, next.run(request));
    ASKED.scope(asked, run).await
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
    product: String,
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
        args.set("product", product.clone());
        for name in kwargs.args() {
            let value: minijinja::Value = kwargs.get(name)?;
            args.set(name.to_owned(), keygate_core::i18n::fluent_value(&value, true));
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

/// The `in_language` template filter: of a map of texts by language tag (an API's scope
/// words), the one for a page in `lang`, looked up as the page's own language was
/// ([`keygate_core::i18n::lookup`]: `pt` words on a `pt-BR` page); undefined when none serves.
pub fn in_language(translations: minijinja::Value, lang: &str) -> minijinja::Value {
    let wanted: Vec<_> = language_tag(lang).into_iter().collect();
    let keys: Vec<minijinja::Value> =
        translations.try_iter().map(Iterator::collect).unwrap_or_default();
    let texts = keys.iter().filter_map(|key| Some((key.as_str()?, key)));
    match keygate_core::i18n::lookup(&wanted, texts) {
        Some(key) => translations.get_item(key).unwrap_or_default(),
        None => minijinja::Value::UNDEFINED,
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
        assert_eq!(c.translate(de, "Sign in with a passkey"), "Mit einem Passkey anmelden");
        assert_eq!(c.translate(de, "Made up just now."), "Made up just now.");
    }

    #[test]
    fn texts_made_with_values_carry_their_values_into_the_translation() {
        let c = catalogs();
        let de = c.get("de").unwrap_or(c.english());
        let short = "password: the password must have at least 12 characters (it has 7); a few \
                     unrelated words make a good one";
        assert_eq!(
            c.translate(de, short),
            "Passwort: das Passwort muss mindestens 12 Zeichen haben (es hat 7); ein paar \
             unzusammenhängende Wörter ergeben ein gutes"
        );
        let ja = c.get("ja").unwrap_or(c.english());
        assert_eq!(c.translate(ja, "Two-step sign-in is on."), "2 段階サインインはオンです。");
        // Words around the values must all match; a field alone is not translated.
        let near = "the password must have at least 12 characters, or else";
        assert_eq!(c.translate(de, near), near);
        assert_eq!(c.translate(de, "password: made up"), "password: made up");
    }

    #[test]
    fn uax9_a_name_is_isolated_so_it_cannot_reorder_the_words_around_it() {
        let isolated = isolate("evil\u{202e}moc.elpmaxe".to_owned());
        assert!(isolated.starts_with('\u{2068}') && isolated.ends_with('\u{2069}'), "{isolated}");
    }

    /// French typography: a no-break space before `:` and inside guillemets, a narrow one
    /// before `;`, `?` and `!`, so a line never starts with the sign.
    #[test]
    fn french_punctuation_is_held_to_its_word_by_a_no_break_space() {
        let source = include_str!("../../../keygate-core/src/i18n/locales/fr.ftl");
        let messages = source.lines().filter(|l| !l.trim_start().starts_with('#'));
        for line in messages {
            for breakable in [" :", " ;", " ?", " !", "« ", " »"] {
                assert!(!line.contains(breakable), "'{breakable}' in: {line}");
            }
        }
        let c = catalogs();
        let fr = c.get("fr").unwrap_or_else(|| panic!("French"));
        let words = c.message(fr, "home-console", &FluentArgs::new());
        assert!(words.contains("\u{a0}:"), "{words}");
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

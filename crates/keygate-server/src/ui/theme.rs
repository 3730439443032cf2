//! Themes: a folder (`[ui] theme_dir`) whose templates and assets replace the built-in ones
//! file by file — `login.html` replaces the login page, `keygate.css` the stylesheet, and any
//! other picture, font or script is served next to them under `/assets/`. The folder is read
//! at start-up (a broken template stops the start and `keygate config check` with its file and
//! line) and watched while running: a change is loaded within a second, and a change that
//! breaks a template is logged with its file and line while the pages keep the last good theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use minijinja::Environment;

/// The end-user pages' built-in templates; a theme may replace any of them.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("templates/layout.html")),
    ("login.html", include_str!("templates/login.html")),
    ("passkey_form.html", include_str!("templates/passkey_form.html")),
    ("consent.html", include_str!("templates/consent.html")),
    ("error.html", include_str!("templates/error.html")),
    ("form_post.html", include_str!("templates/form_post.html")),
    ("logout.html", include_str!("templates/logout.html")),
    ("logged_out.html", include_str!("templates/logged_out.html")),
    ("device.html", include_str!("templates/device.html")),
    ("leaving.html", include_str!("templates/leaving.html")),
    ("home.html", include_str!("templates/home.html")),
    ("legal.html", include_str!("templates/legal.html")),
    ("scope.html", include_str!("templates/scope.html")),
    ("forgot.html", include_str!("templates/forgot.html")),
    ("reset.html", include_str!("templates/reset.html")),
    ("signup.html", include_str!("templates/signup.html")),
    ("verify.html", include_str!("templates/verify.html")),
    ("mfa.html", include_str!("templates/mfa.html")),
    ("account_totp.html", include_str!("templates/account_totp.html")),
    ("account.html", include_str!("templates/account.html")),
];

/// The built-in assets; a theme may replace them and add others.
pub const ASSETS: &[(&str, &str)] = &[
    ("keygate.css", include_str!("templates/keygate.css")),
    ("passkeys.js", include_str!("templates/passkeys.js")),
];

/// The largest asset a theme may carry.
const MAX_ASSET: u64 = 5 * 1024 * 1024;

/// How often the theme folder is looked at for changes.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// An asset as served: its bytes, type and entity tag.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The file's bytes.
    pub bytes: axum::body::Bytes,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// A strong entity tag of the bytes (RFC 9110 §8.8.3).
    pub etag: String,
}

impl Asset {
    /// A built-in asset, typed by its name's extension like a theme's.
    pub fn built_in(name: &str, text: &'static str) -> Self {
        let kind = content_type(name).unwrap_or("application/octet-stream");
        Self::new(axum::body::Bytes::from_static(text.as_bytes()), kind)
    }

    fn new(bytes: axum::body::Bytes, content_type: &'static str) -> Self {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &bytes);
        let tag = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            &digest.as_ref()[..12],
        );
        let etag = format!("\"{tag}\"");
        Self { bytes, content_type, etag }
    }
}

/// The `Content-Type` of an asset by its extension; `None` for files a theme does not serve.
fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => return None,
    })
}

/// A theme's files as read: templates by name and assets by name, and a stamp of what was read
/// (names, sizes, modification times) to notice changes.
#[derive(Debug, Default)]
pub struct Files {
    /// Templates (`*.html`) of the theme.
    pub templates: BTreeMap<String, String>,
    /// Assets of the theme.
    pub assets: BTreeMap<String, Asset>,
}

/// What identifies a folder's state without reading the files.
pub type Stamp = Vec<(String, u64, Option<SystemTime>)>;

/// The stamp of `dir`: each file's name, size and modification time, sorted.
pub fn stamp(dir: &Path) -> std::io::Result<Stamp> {
    let mut stamp = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            stamp.push((name, meta.len(), meta.modified().ok()));
        }
    }
    stamp.sort();
    Ok(stamp)
}

/// Whether `name` may be served as an asset: one path segment of letters, digits, `.`, `-`
/// and `_`, not hidden.
pub fn is_asset_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// Reads a theme folder; every unreadable or unusable file is a problem, named.
pub fn read(dir: &Path) -> Result<Files, Vec<String>> {
    let mut files = Files::default();
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return Err(vec![format!("ui.theme_dir: {}: {e}", dir.display())]),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.is_file() || name.starts_with('.') {
            continue;
        }
        if name.ends_with(".html") {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    files.templates.insert(name, text);
                }
                Err(e) => problems.push(format!("theme {}: {e}", path.display())),
            }
            continue;
        }
        let Some(kind) = content_type(&name).filter(|_| is_asset_name(&name)) else {
            continue;
        };
        match std::fs::metadata(&path).map(|m| m.len()) {
            Ok(size) if size > MAX_ASSET => problems.push(format!(
                "theme {}: {size} bytes is more than an asset may have ({MAX_ASSET})",
                path.display()
            )),
            Ok(_) => match std::fs::read(&path) {
                Ok(bytes) => {
                    files.assets.insert(name, Asset::new(bytes.into(), kind));
                }
                Err(e) => problems.push(format!("theme {}: {e}", path.display())),
            },
            Err(e) => problems.push(format!("theme {}: {e}", path.display())),
        }
    }
    if problems.is_empty() { Ok(files) } else { Err(problems) }
}

/// The end-user templates with `overrides` in place of built-in ones, each compiled into `env`;
/// then each rendered once with nothing in it, so that an unknown filter or function shows
/// now rather than on a user's request. Problems name the file (`dir`) and line.
pub fn add_templates(
    env: &mut Environment<'static>,
    overrides: &BTreeMap<String, String>,
    dir: Option<&Path>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let place = |name: &str| match dir {
        Some(dir) if overrides.contains_key(name) => {
            format!("theme {}", dir.join(name).display())
        }
        _ => format!("built-in template {name}"),
    };
    let built_in = TEMPLATES.iter().map(|(name, source)| (*name, *source));
    let extra = overrides
        .iter()
        .filter(|(name, _)| !TEMPLATES.iter().any(|(n, _)| n == name))
        .map(|(name, source)| (name.as_str(), source.as_str()));
    for (name, built_in) in built_in.chain(extra) {
        let source = overrides.get(name).cloned().unwrap_or_else(|| built_in.to_owned());
        if let Err(e) = env.add_template_owned(name.to_owned(), source) {
            problems.push(describe(&place(name), &e));
        }
    }
    if problems.is_empty() {
        for name in overrides.keys() {
            let rendered =
                env.get_template(name).and_then(|t| t.render(minijinja::context! {}).map(drop));
            if let Err(e) = rendered {
                problems.push(describe(&place(e.name().unwrap_or(name)), &e));
            }
        }
    }
    problems
}

/// A template error in plain words with its place and line.
fn describe(place: &str, e: &minijinja::Error) -> String {
    let line = e.line().map(|l| format!(" line {l}")).unwrap_or_default();
    match e.detail() {
        Some(detail) => format!("{place}{line}: {}: {detail}", e.kind()),
        None => format!("{place}{line}: {}", e.kind()),
    }
}

/// The pages as currently drawn: compiled templates and the assets.
#[derive(Debug)]
pub struct Drawn {
    /// The compiled templates (the end-user pages' and the console's).
    pub env: Environment<'static>,
    /// Assets by name: the built-in ones, replaced or joined by the theme's.
    pub assets: BTreeMap<String, Asset>,
}

/// Builds the pages' environment from a theme folder's files (none: the built-in look).
pub type Builder = dyn Fn(&Files) -> Result<Drawn, Vec<String>> + Send + Sync;

/// The live theme: what the pages are drawn with now, swapped when the folder changes.
pub struct Theme {
    dir: Option<PathBuf>,
    build: Box<Builder>,
    drawn: RwLock<Arc<Drawn>>,
    seen: RwLock<Option<Stamp>>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl Theme {
    /// The theme of `dir` (or the built-in look), drawn by `build`; every problem at once.
    pub fn load(dir: Option<&Path>, build: Box<Builder>) -> Result<Self, Vec<String>> {
        let seen = dir.map(stamp).transpose().map_err(|e| vec![format!("ui.theme_dir: {e}")])?;
        let files = dir.map(read).transpose()?.unwrap_or_default();
        let drawn = build(&files)?;
        Ok(Self {
            dir: dir.map(Path::to_path_buf),
            build,
            drawn: RwLock::new(Arc::new(drawn)),
            seen: RwLock::new(seen),
        })
    }

    /// The pages as drawn now.
    pub fn drawn(&self) -> Arc<Drawn> {
        match self.drawn.read() {
            Ok(drawn) => drawn.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Whether a theme folder is in use.
    pub fn is_themed(&self) -> bool {
        self.dir.is_some()
    }

    /// Loads the folder again if it changed since last seen. A broken change is logged, with
    /// every problem, and the last good theme stays.
    pub fn refresh(&self) {
        let Some(dir) = &self.dir else { return };
        let now = match stamp(dir) {
            Ok(now) => now,
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "theme folder unreadable");
                return;
            }
        };
        let changed = self.seen.read().map(|seen| seen.as_ref() != Some(&now)).unwrap_or(true);
        if !changed {
            return;
        }
        if let Ok(mut seen) = self.seen.write() {
            *seen = Some(now);
        }
        match read(dir).and_then(|files| (self.build)(&files)) {
            Ok(drawn) => {
                if let Ok(mut current) = self.drawn.write() {
                    *current = Arc::new(drawn);
                }
                tracing::info!(dir = %dir.display(), "theme reloaded");
            }
            Err(problems) => {
                for problem in problems {
                    tracing::error!(problem, "theme change not loaded; the last good theme stays");
                }
            }
        }
    }

    /// Watches the folder while `theme` lives (on the current Tokio runtime, if any).
    pub fn watch(theme: &Arc<Self>) {
        if theme.dir.is_none() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let weak = Arc::downgrade(theme);
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(WATCH_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(theme) = weak.upgrade() else { break };
                let _ = tokio::task::spawn_blocking(move || theme.refresh()).await;
            }
        });
    }
}

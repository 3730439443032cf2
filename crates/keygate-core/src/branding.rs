//! The colors and pictures the pages are branded with — the operator's for every page, an
//! application's for its own login and consent pages — checked so that text stays readable
//! (WCAG 2.2 success criterion 1.4.3: a contrast of at least 4.5:1 for normal text), and turned
//! into the small stylesheet the pages carry.

use std::fmt::Write;

/// The smallest contrast between text and what is behind it (WCAG 2.2 SC 1.4.3, level AA).
pub const MIN_CONTRAST: f64 = 4.5;

/// An sRGB color written `#rgb` or `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    r: u8,
    g: u8,
    b: u8,
}

/// The card the pages' text sits on.
pub const WHITE: Color = Color { r: 255, g: 255, b: 255 };
/// Black: with white, one of the two always reads on any color (at least 4.58:1).
pub const BLACK: Color = Color { r: 0, g: 0, b: 0 };
/// The pages' body text.
pub const INK: Color = Color { r: 0x1f, g: 0x23, b: 0x28 };
/// The pages' quieter text (hints, the footer).
pub const MUTED: Color = Color { r: 0x57, g: 0x60, b: 0x6a };

impl Color {
    /// Reads `#rgb` or `#rrggbb` (either case).
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Self { r: digit(0)? * 17, g: digit(1)? * 17, b: digit(2)? * 17 }),
            6 => Some(Self { r: pair(0)?, g: pair(2)?, b: pair(4)? }),
            _ => None,
        }
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// Relative luminance (WCAG 2.2, "relative luminance").
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// The contrast ratio with `other`, from 1 to 21 (WCAG 2.2, "contrast ratio").
    pub fn contrast(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// This color with each channel scaled by `factor` (below 1: darker), for hover states.
    pub fn scaled(self, factor: f64) -> Color {
        let scale = |c: u8| (f64::from(c) * factor).round().clamp(0.0, 255.0) as u8;
        Color { r: scale(self.r), g: scale(self.g), b: scale(self.b) }
    }

    /// Of `choices`, the first that reads on this color, else the one that reads best.
    pub fn readable_text(self, choices: &[Color]) -> Color {
        let best = choices.iter().copied().max_by(|a, b| {
            self.contrast(*a).partial_cmp(&self.contrast(*b)).unwrap_or(std::cmp::Ordering::Equal)
        });
        choices.iter().copied().find(|c| self.contrast(*c) >= MIN_CONTRAST).or(best).unwrap_or(INK)
    }
}

/// What is wrong with `value` as a primary color (`field` names it): it must be `#rgb` or
/// `#rrggbb`, and dark enough for white text on buttons and for links on the white card.
pub fn primary_color_problem(field: &str, value: &str) -> Option<String> {
    let Some(color) = Color::parse(value) else {
        return Some(format!("{field}: '{value}' is not a color written #rgb or #rrggbb"));
    };
    let contrast = color.contrast(WHITE);
    (contrast < MIN_CONTRAST).then(|| {
        format!(
            "{field}: '{value}' is too light for white text and for links on white: its contrast \
             with white is {contrast:.1}:1, and text needs at least {MIN_CONTRAST}:1 (WCAG 1.4.3); \
             choose a darker color"
        )
    })
}

/// What is wrong with `value` as a background color: it must be `#rgb` or `#rrggbb`. Text on
/// it (the footer) takes whichever of dark or light reads.
pub fn background_color_problem(field: &str, value: &str) -> Option<String> {
    Color::parse(value)
        .is_none()
        .then(|| format!("{field}: '{value}' is not a color written #rgb or #rrggbb"))
}

/// What is wrong with `value` as a picture's address (a logo, a favicon, a background): a full
/// https URL (http only on a loopback address, for development).
pub fn picture_problem(field: &str, value: &str) -> Option<String> {
    let url = url::Url::parse(value).ok();
    let loopback = url.as_ref().is_some_and(crate::redirect::is_loopback);
    match url.as_ref().map(url::Url::scheme) {
        Some("https") => None,
        Some("http") if loopback => None,
        _ => Some(format!(
            "{field}: '{value}' must be a full https URL (http only on 127.0.0.1 or [::1])"
        )),
    }
}

/// What is wrong with `value` as the support link: an https URL or a `mailto:` address.
pub fn support_link_problem(field: &str, value: &str) -> Option<String> {
    let url = url::Url::parse(value).ok();
    match url.as_ref().map(url::Url::scheme) {
        Some("mailto") if value.contains('@') => None,
        Some("https") => None,
        _ => Some(format!("{field}: '{value}' must be an https URL or a mailto: address")),
    }
}

/// A branding: the colors and background picture a page is drawn with. Every field is
/// optional; what is absent keeps the built-in look (or, for an application, the operator's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Look {
    /// Buttons, focus rings and links.
    pub primary_color: Option<String>,
    /// Behind the card.
    pub background_color: Option<String>,
    /// A picture behind the card, covering the page.
    pub background_image: Option<String>,
}

impl Look {
    /// Every problem with this look, fields named with `prefix` (`ui.`, or nothing).
    pub fn problems(&self, prefix: &str) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(v) = &self.primary_color {
            problems.extend(primary_color_problem(&format!("{prefix}primary_color"), v));
        }
        if let Some(v) = &self.background_color {
            problems.extend(background_color_problem(&format!("{prefix}background_color"), v));
        }
        if let Some(v) = &self.background_image {
            problems.extend(picture_problem(&format!("{prefix}background_image"), v));
        }
        problems
    }

    /// The stylesheet that draws this look over the built-in one: CSS custom properties the
    /// built-in stylesheet reads, and the background. Empty when nothing is set. Values that do
    /// not pass [`Look::problems`] are left out, so the result never carries markup or quotes.
    pub fn stylesheet(&self) -> String {
        let mut css = String::new();
        let mut vars = String::new();
        if let Some(primary) = self.primary_color.as_deref().and_then(Color::parse) {
            let on = primary.readable_text(&[WHITE, INK, BLACK]);
            let _ = write!(
                vars,
                "--primary:{};--primary-hover:{};--on-primary:{};",
                primary.hex(),
                primary.scaled(0.85).hex(),
                on.hex()
            );
        }
        if let Some(background) = self.background_color.as_deref().and_then(Color::parse) {
            let footer = background.readable_text(&[MUTED, INK, WHITE, BLACK]);
            let _ = write!(vars, "--page:{};--page-text:{};", background.hex(), footer.hex());
        }
        if !vars.is_empty() {
            let _ = write!(css, ":root{{{vars}}}");
        }
        let image = self.background_image.as_deref().filter(|v| picture_problem("", v).is_none());
        if let Some(image) = image {
            let _ = write!(
                css,
                "body{{background-image:url(\"{}\");background-size:cover;background-position:center}}\
                 footer{{padding:.25rem .75rem;border-radius:8px;background:rgba(255,255,255,.92);color:#57606a}}",
                css_string(image)
            );
        }
        css
    }
}

/// `text` inside a double-quoted CSS string: quotes, backslashes, angle brackets and controls
/// escaped as CSS hex escapes, so a URL can neither leave the string nor end the `<style>`.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "/:.-_~?&=%+,;!*@$[]#".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn colors_are_read_in_both_lengths() {
        assert_eq!(Color::parse("#0B63D9").map(Color::hex).as_deref(), Some("#0b63d9"));
        assert_eq!(Color::parse("#fa0").map(Color::hex).as_deref(), Some("#ffaa00"));
        for bad in ["0b63d9", "#0b63d", "#ggg", "red", "#0b63d9;x", "#+1+2+3"] {
            assert!(Color::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn wcag_1_4_3_contrast_ratio_matches_the_definition() {
        assert!((Color::parse("#000").unwrap().contrast(WHITE) - 21.0).abs() < 1e-9);
        assert!((WHITE.contrast(WHITE) - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey that reaches 4.5:1 on white.
        assert!(Color::parse("#767676").unwrap().contrast(WHITE) >= MIN_CONTRAST);
        assert!(Color::parse("#777777").unwrap().contrast(WHITE) < MIN_CONTRAST);
    }

    #[test]
    fn wcag_1_4_3_a_primary_color_too_light_for_white_text_is_refused_in_plain_words() {
        assert_eq!(primary_color_problem("ui.primary_color", "#0b63d9"), None);
        let problem = primary_color_problem("ui.primary_color", "#ffd700").unwrap();
        assert!(problem.contains("too light") && problem.contains("4.5:1"), "{problem}");
        let problem = primary_color_problem("primary_color", "blue").unwrap();
        assert!(problem.contains("#rgb or #rrggbb"), "{problem}");
    }

    #[test]
    fn text_on_any_background_reads() {
        for bg in ["#000000", "#ffffff", "#808080", "#1a237e", "#ffeb3b", "#767676"] {
            let bg = Color::parse(bg).unwrap();
            let text = bg.readable_text(&[MUTED, INK, WHITE, BLACK]);
            assert!(bg.contrast(text) >= MIN_CONTRAST, "{} on {}", text.hex(), bg.hex());
        }
    }

    #[test]
    fn a_look_becomes_custom_properties_and_a_background() {
        let look = Look {
            primary_color: Some("#8a1538".into()),
            background_color: Some("#102030".into()),
            background_image: Some("https://cdn.example/bg.jpg".into()),
        };
        let css = look.stylesheet();
        assert!(css.contains("--primary:#8a1538;"), "{css}");
        assert!(css.contains("--on-primary:#ffffff;"), "{css}");
        assert!(css.contains("--page-text:#ffffff;"), "{css}");
        assert!(css.contains("url(\"https://cdn.example/bg.jpg\")"), "{css}");
        assert_eq!(Look::default().stylesheet(), "");
    }

    #[test]
    fn a_background_url_cannot_leave_its_css_string_or_the_style_element() {
        let look = Look {
            background_image: Some("https://x.example/a\"){}</style><script>".into()),
            ..Look::default()
        };
        let css = look.stylesheet();
        assert!(!css.contains('"') || css.matches('"').count() == 2, "{css}");
        assert!(!css.contains('<') && !css.contains('>'), "{css}");
        // Invalid values are left out entirely.
        let bad = Look { primary_color: Some("red;}body{x".into()), ..Look::default() };
        assert_eq!(bad.stylesheet(), "");
    }
}

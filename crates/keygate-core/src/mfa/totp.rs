//! Time-based one-time passwords (RFC 6238) as authenticator apps compute them: HMAC-SHA-1
//! (RFC 4226 §5), 6 digits, 30-second steps, one step of clock drift either way. The key is
//! shown as base32 (RFC 4648 §6) and as an `otpauth://` URI in a QR code (SVG, drawn on the
//! server: no script).

use aws_lc_rs::hmac;
use subtle::ConstantTimeEq;

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds per time step (RFC 6238 §5.2: 30 recommended).
pub const PERIOD: i64 = 30;
/// Steps accepted before and after the current one (RFC 6238 §5.2: at most one advised).
pub const SKEW: i64 = 1;
/// Key length in bytes: 160 bits, the HMAC-SHA-1 output size (RFC 4226 §4 R6).
pub const KEY_LEN: usize = 20;

/// The time step of `unix_time` (RFC 6238 §4.2: T = floor((time - T0) / X), T0 = 0).
pub fn step_of(unix_time: i64) -> i64 {
    unix_time.div_euclid(PERIOD)
}

/// The code for `step` (RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic
/// truncation, modulo 10^digits), zero-padded.
pub fn code_at(key: &[u8], step: i64) -> String {
    let mac =
        hmac::sign(&hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key), &step.to_be_bytes());
    let mac = mac.as_ref();
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let binary =
        u32::from_be_bytes([mac[offset], mac[offset + 1], mac[offset + 2], mac[offset + 3]])
            & 0x7fff_ffff;
    format!("{:0width$}", binary % 10u32.pow(DIGITS as u32), width = DIGITS)
}

/// The step, within [`SKEW`] of now, whose code `typed` is (spaces ignored); compared in
/// constant time.
pub fn matching_step(key: &[u8], typed: &str, unix_time: i64) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_time);
    let mut found = None;
    for step in now - SKEW..=now + SKEW {
        let matches: bool = code_at(key, step).as_bytes().ct_eq(typed.as_bytes()).into();
        if matches && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Base32 without padding (RFC 4648 §6), as authenticator apps take keys.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Base32 (RFC 4648 §6) back to bytes; `None` for anything else.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes().filter(|c| *c != b' ') {
        let value = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The key in groups of four, easier to type.
pub fn grouped(base32: &str) -> String {
    let chars: Vec<char> = base32.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The `otpauth://totp/` URI authenticator apps read from the QR code: the issuer and the
/// account as the label, the key, and the parameters spelled out.
pub fn otpauth_uri(issuer: &str, account: &str, key: &[u8]) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    // Label parts are path text: a space is %20, not `+`.
    let label = format!("{}:{}", enc(issuer), enc(account)).replace('+', "%20");
    format!(
        "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={PERIOD}",
        base32(key),
        enc(issuer).replace('+', "%20"),
    )
}

/// A QR code of `text` as an SVG image (black modules on white, with the quiet zone).
pub fn qr_svg(text: &str) -> Result<String, String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| format!("QR code: {e}"))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B's SHA-1 key: "12345678901234567890".
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_appendix_b_sha1_vectors() {
        // Appendix B gives 8 digits; the last six are the 6-digit codes.
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at(RFC_KEY, step_of(time)), eight[2..], "T = {time}");
        }
    }

    #[test]
    fn rfc4226_appendix_d_hotp_vectors() {
        let expected = ["755224", "287082", "359152", "969429", "338314"];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(code_at(RFC_KEY, counter as i64), *code);
        }
    }

    #[test]
    fn rfc6238_5_2_one_step_either_way_and_no_further() {
        let now = 1_111_111_111;
        let step = step_of(now);
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = code_at(RFC_KEY, step + offset);
            let found = matching_step(RFC_KEY, &code, now);
            assert_eq!(found.is_some(), accepted, "offset {offset}");
            if accepted {
                assert_eq!(found, Some(step + offset));
            }
        }
        assert_eq!(matching_step(RFC_KEY, "12345", now), None, "too short");
        assert_eq!(matching_step(RFC_KEY, "abcdef", now), None, "not digits");
        let spaced = code_at(RFC_KEY, step);
        let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
        assert_eq!(matching_step(RFC_KEY, &spaced, now), Some(step), "spaces are ignored");
    }

    #[test]
    fn rfc4648_6_base32_and_the_otpauth_uri() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(RFC_KEY), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let uri = otpauth_uri("Example ID", "ada@example.com", RFC_KEY);
        assert_eq!(
            uri,
            "otpauth://totp/Example%20ID:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Example%20ID&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg") && svg.contains("#000000"));
    }
}

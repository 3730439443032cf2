use std::path::Path;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::secret::random_bytes;

const VERSION: u8 = 1;

/// The 256-bit master key that encrypts private signing keys at rest (AES-256-GCM).
pub struct MasterKey(LessSafeKey);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// A key from its base64 text (config or environment).
    pub fn from_base64(text: &str) -> anyhow::Result<Self> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| anyhow::anyhow!("master key is not valid base64"))?;
        Self::from_bytes(&bytes)
    }

    fn from_bytes(bytes: &[u8]) -> anyhow::Result<Self> {
        anyhow::ensure!(bytes.len() == 32, "master key must be 32 bytes, got {}", bytes.len());
        let key = UnboundKey::new(&AES_256_GCM, bytes)
            .map_err(|_| anyhow::anyhow!("master key rejected"))?;
        Ok(Self(LessSafeKey::new(key)))
    }

    /// Reads the key file, or creates it (mode 0600) with a fresh random key on first start.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Self::from_base64(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let bytes = random_bytes(32);
                write_private_file(path, STANDARD.encode(&bytes).as_bytes())?;
                Self::from_bytes(&bytes)
            }
            Err(e) => Err(anyhow::anyhow!("cannot read master key {}: {e}", path.display())),
        }
    }

    /// Encrypts `plaintext`; `context` (the key id) is bound as associated data.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> anyhow::Result<Vec<u8>> {
        let nonce_bytes = random_bytes(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(&nonce_bytes)
            .map_err(|_| anyhow::anyhow!("bad nonce length"))?;
        let mut buf = plaintext.to_vec();
        self.0
            .seal_in_place_append_tag(nonce, Aad::from(context.as_bytes()), &mut buf)
            .map_err(|_| anyhow::anyhow!("sealing failed"))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + buf.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&buf);
        Ok(out)
    }

    /// Decrypts what [`MasterKey::seal`] produced with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> anyhow::Result<Vec<u8>> {
        anyhow::ensure!(
            sealed.len() > 1 + NONCE_LEN && sealed[0] == VERSION,
            "sealed key has an unknown format"
        );
        let nonce = Nonce::try_assume_unique_for_key(&sealed[1..1 + NONCE_LEN])
            .map_err(|_| anyhow::anyhow!("bad nonce length"))?;
        let mut buf = sealed[1 + NONCE_LEN..].to_vec();
        let plain =
            self.0.open_in_place(nonce, Aad::from(context.as_bytes()), &mut buf).map_err(|_| {
                anyhow::anyhow!("cannot decrypt signing key {context}: wrong master key?")
            })?;
        Ok(plain.to_vec())
    }
}

/// Creates a file readable by its owner only (mode 0600); an existing file is an error.
pub fn write_private_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file =
        options.open(path).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_context_binding() -> anyhow::Result<()> {
        let key = MasterKey::from_bytes(&[7u8; 32])?;
        let sealed = key.seal(b"private key", "kid-1")?;
        assert_eq!(key.open(&sealed, "kid-1")?, b"private key");
        assert!(key.open(&sealed, "kid-2").is_err(), "aad binds the kid");
        let other = MasterKey::from_bytes(&[8u8; 32])?;
        assert!(other.open(&sealed, "kid-1").is_err());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn master_key_file_is_created_0600_and_reloaded() -> anyhow::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("kg-mk-{}", crate::secret::random_string(8)));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("master.key");
        let a = MasterKey::load_or_create(&path)?;
        let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let b = MasterKey::load_or_create(&path)?;
        assert_eq!(b.open(&a.seal(b"x", "k")?, "k")?, b"x");
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}

//! [`EncryptedFileStore`]: tokens in one file, sealed with AES-256-GCM under a key derived
//! from a passphrase with Argon2id (or a 256-bit key kept elsewhere, e.g. in the keychain).
//! Written atomically with mode 0600.
//!
//! File layout (all integers big-endian); the whole header is the AEAD's associated data, so
//! changing the parameters or the salt makes decryption fail:
//!
//! ```text
//! "KGTOKEN1"  8 bytes   magic and format version
//! kind        1 byte    1 = Argon2id(passphrase), 2 = raw 256-bit key
//! m_cost      4 bytes   Argon2 memory in KiB   (0 for kind 2)
//! t_cost      4 bytes   Argon2 iterations       (0 for kind 2)
//! p_cost      4 bytes   Argon2 lanes            (0 for kind 2)
//! salt       16 bytes   fresh at every save
//! nonce      12 bytes   fresh at every save
//! ciphertext            JSON of the tokens, then the 16-byte tag
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use crate::error::{Error, Result};
use crate::random;
use crate::store::{StoreLock, TokenStore};
use crate::tokens::Tokens;

const MAGIC: &[u8; 8] = b"KGTOKEN1";
const KIND_PASSPHRASE: u8 = 1;
const KIND_KEY: u8 = 2;
const SALT_LEN: usize = 16;
const HEADER_LEN: usize = 8 + 1 + 12 + SALT_LEN + NONCE_LEN;

/// A passphrase. `Debug` shows nothing; the text is reachable only through
/// [`Passphrase::expose_secret`].
#[derive(Clone)]
pub struct Passphrase(String);

impl Passphrase {
    /// Wraps a passphrase (it must not be empty: see [`EncryptedFileStore::new`]).
    pub fn new(passphrase: impl Into<String>) -> Self {
        Self(passphrase.into())
    }

    /// The passphrase itself.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// Argon2id cost parameters (RFC 9106 §4; the defaults are OWASP's minimum for Argon2id:
/// 19 MiB, 2 iterations, 1 lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Parallelism.
    pub p_cost: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        Self { m_cost: 19 * 1024, t_cost: 2, p_cost: 1 }
    }
}

/// What the file's encryption key comes from.
#[derive(Clone)]
pub enum FileKey {
    /// Derived from a passphrase with Argon2id (a fresh salt at every save).
    Passphrase(Passphrase, KdfParams),
    /// A random 256-bit key kept elsewhere (e.g. in the OS keychain, when the tokens are too
    /// large for it).
    Key([u8; 32]),
}

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Passphrase(_, params) => write!(f, "FileKey::Passphrase(<redacted>, {params:?})"),
            Self::Key(_) => f.write_str("FileKey::Key(<redacted>)"),
        }
    }
}

/// Tokens in a file encrypted with AES-256-GCM, mode 0600.
#[derive(Debug, Clone)]
pub struct EncryptedFileStore {
    path: PathBuf,
    key: FileKey,
}

impl EncryptedFileStore {
    /// A store at `path` under a passphrase, with the default Argon2id costs. An empty
    /// passphrase is refused: it would be a plain-text store in disguise.
    pub fn new(path: impl Into<PathBuf>, passphrase: Passphrase) -> Result<Self> {
        Self::with_key(path, FileKey::Passphrase(passphrase, KdfParams::default()))
    }

    /// A store at `path` under `key`.
    pub fn with_key(path: impl Into<PathBuf>, key: FileKey) -> Result<Self> {
        if let FileKey::Passphrase(passphrase, _) = &key
            && passphrase.expose_secret().is_empty()
        {
            return Err(Error::Storage("the passphrase must not be empty".to_owned()));
        }
        Ok(Self { path: path.into(), key })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The AEAD key for a header's kind, parameters and salt.
    fn aead_key(&self, kind: u8, params: KdfParams, salt: &[u8]) -> Result<LessSafeKey> {
        let mut key = [0u8; 32];
        match (&self.key, kind) {
            (FileKey::Passphrase(passphrase, _), KIND_PASSPHRASE) => {
                let params =
                    argon2::Params::new(params.m_cost, params.t_cost, params.p_cost, Some(32))
                        .map_err(|e| {
                            Error::Storage(format!("the file's Argon2 parameters: {e}"))
                        })?;
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                    .hash_password_into(passphrase.expose_secret().as_bytes(), salt, &mut key)
                    .map_err(|e| Error::Storage(format!("key derivation failed: {e}")))?;
            }
            (FileKey::Key(raw), KIND_KEY) => key = *raw,
            _ => {
                return Err(Error::Storage(format!(
                    "{} was sealed with another kind of key (a passphrase or a keychain key)",
                    self.path.display()
                )));
            }
        }
        let unbound = UnboundKey::new(&AES_256_GCM, &key)
            .map_err(|_| Error::Storage("the AEAD key was refused".to_owned()))?;
        Ok(LessSafeKey::new(unbound))
    }

    /// Seals `plaintext` into the file format.
    fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let (kind, params) = match &self.key {
            FileKey::Passphrase(_, params) => (KIND_PASSPHRASE, *params),
            FileKey::Key(_) => (KIND_KEY, KdfParams { m_cost: 0, t_cost: 0, p_cost: 0 }),
        };
        let salt = random::bytes::<SALT_LEN>()?;
        let nonce = random::bytes::<NONCE_LEN>()?;
        let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + 16);
        out.extend_from_slice(MAGIC);
        out.push(kind);
        for n in [params.m_cost, params.t_cost, params.p_cost] {
            out.extend_from_slice(&n.to_be_bytes());
        }
        out.extend_from_slice(&salt);
        out.extend_from_slice(&nonce);
        let key = self.aead_key(kind, params, &salt)?;
        let mut sealed = plaintext.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&out[..]),
            &mut sealed,
        )
        .map_err(|_| Error::Storage("encryption failed".to_owned()))?;
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens the file format; a wrong key or an altered file fails the tag check.
    fn open(&self, bytes: &[u8]) -> Result<Vec<u8>> {
        let not_ours = || {
            Error::Storage(format!("{} is not a keygate-client token file", self.path.display()))
        };
        if bytes.len() < HEADER_LEN + 16 || &bytes[..8] != MAGIC {
            return Err(not_ours());
        }
        let (header, sealed) = bytes.split_at(HEADER_LEN);
        let be = |at: usize| {
            let mut n = [0u8; 4];
            n.copy_from_slice(&header[at..at + 4]);
            u32::from_be_bytes(n)
        };
        let params = KdfParams { m_cost: be(9), t_cost: be(13), p_cost: be(17) };
        // Refuse absurd costs from a tampered file before spending memory on them.
        if params.m_cost > 4 * 1024 * 1024 || params.t_cost > 100 || params.p_cost > 64 {
            return Err(not_ours());
        }
        let salt = &header[21..21 + SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&header[21 + SALT_LEN..]);
        let key = self.aead_key(header[8], params, salt)?;
        let mut buffer = sealed.to_vec();
        let plain = key
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(header), &mut buffer)
            .map_err(|_| {
                Error::Storage(format!(
                    "{} could not be decrypted: wrong passphrase, or the file was altered",
                    self.path.display()
                ))
            })?;
        Ok(plain.to_vec())
    }
}

impl TokenStore for EncryptedFileStore {
    fn load(&self) -> Result<Option<Tokens>> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::Storage(format!("{}: {e}", self.path.display()))),
        };
        warn_if_readable_by_others(&self.path);
        let plain = self.open(&bytes)?;
        let tokens = serde_json::from_slice(&plain)
            .map_err(|e| Error::Storage(format!("{}: {e}", self.path.display())))?;
        Ok(Some(tokens))
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        let plain = serde_json::to_vec(tokens)
            .map_err(|e| Error::Storage(format!("serializing tokens: {e}")))?;
        let sealed = self.seal(&plain)?;
        write_private(&self.path, &sealed)
            .map_err(|e| Error::Storage(format!("{}: {e}", self.path.display())))
    }

    fn clear(&self) -> Result<()> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::Storage(format!("{}: {e}", self.path.display()))),
        }
    }

    fn describe(&self) -> String {
        let how = match self.key {
            FileKey::Passphrase(..) => "passphrase, Argon2id",
            FileKey::Key(_) => "key in the OS keychain",
        };
        format!("encrypted file {} (AES-256-GCM, {how})", self.path.display())
    }

    fn lock(&self) -> Result<Option<StoreLock>> {
        StoreLock::acquire(&crate::store::lock_path_for(&self.path)).map(Some)
    }
}

/// Writes `bytes` to `path` atomically (a temporary file in the same directory, then a
/// rename), readable and writable by the owner only; creates the directory with mode 0700.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(name);
    let result = (|| {
        let mut file = private_options().open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

pub(crate) fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(path = %path.display(), "token file is readable by other users");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Opens (creating) a lock file, for [`StoreLock::acquire`].
pub(crate) fn open_lock_file(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

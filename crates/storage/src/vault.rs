//! Encryption at rest of special-category content (issue 12, part 5): envelope encryption
//! with one random data key per case, wrapped by the installation key.
//!
//! ## What is sealed
//! Every string stored under one of the field names in [`SEALED_FIELDS`] — the free texts of
//! contacts (note, participants, agreements, next steps; psychologist compartment or not),
//! of the social history (own view, strengths), of goals (wording, criterion, in every life
//! domain, health ones included), of disclosures, referrals out and handovers (information,
//! note) — in the two documents that hold case content: `events.payload` and `cases.state`.
//! Sealing replaces the JSON string by `{"$sealed": "<base64 of nonce ‖ ciphertext ‖ tag>"}`
//! (XChaCha20-Poly1305 under the case's data key, a random 192-bit nonce per value, the case
//! id as associated data so that a sealed value cannot be moved to another case). Names,
//! dates, vocabulary keys, ids and everything the read models for lists, search, reminders,
//! duplicate hints and reports hold stay in clear: none of them needs a sealed text.
//! Core and the frontends see plaintext only: sealing happens where storage turns events and
//! states into stored text, opening where it reads them back.
//!
//! ## Keys
//! * The **installation key** (256 bits) lives in a key file outside the database
//!   ([`InstallationKey::load`], [`InstallationKey::create`]; mode 0600). The database keeps
//!   only its id and a check value (`installation_settings` row `installation_key`), so a
//!   wrong key is refused at open ([`crate::OpenError::WrongKey`]) before anything changes.
//! * A **case key** (256 bits, random) is made the first time a case has something to seal
//!   and stored in `case_keys`, wrapped by the installation key (XChaCha20-Poly1305, the case
//!   id as associated data). Deleting the row makes that case's sealed content unreadable for
//!   good (crypto-shredding): erasing a case does it ([`crate::Store::carry_out`]).
//! * Rotation ([`crate::Store::rotate_key`]) rewraps every case key under a new installation
//!   key in one transaction; the sealed content itself is not touched, so the hash chain is
//!   unchanged.
//! * Backups ([`crate::Store::backup_to`]) carry the sealed content but no case key; the case
//!   keys go into key backups ([`crate::Store::export_case_keys`]) kept for a short time only,
//!   so an erasure reaches every older backup as soon as no key backup from before it is kept.
//!
//! ## The hash chain
//! The chain hashes the payload **as stored**, sealed values included: `verify` needs no key
//! (it checks the shape of a sealed event with placeholders in place of the sealed texts,
//! [`blind`]), and a changed ciphertext breaks the chain as a changed plaintext would (the
//! AEAD tag refuses it on reading as well).
//!
//! A store opened without a key on a database that never had one (an embedder's, or one made
//! before m0014) stores plaintext, as before; the first open with a key seals it
//! ([`adopt`]). An in-memory database always gets a fresh key.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use sea_orm::prelude::Uuid;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wegbereiter_core::ids::CaseId;
use wegbereiter_core::ports::StorageError;
use zeroize::Zeroizing;

use crate::entity::{case_keys, installation_settings};
use crate::error::storage;

/// The field names whose string values are sealed, wherever they occur in an event payload
/// or a case state. Each holds free text (core's `Text`) only, never a vocabulary key, so
/// that `verify` can check a sealed event's shape with a placeholder text.
pub(crate) const SEALED_FIELDS: &[&str] = &[
    "note",
    "participants",
    "agreements",
    "next_steps",
    "wording",
    "criterion",
    "own_view",
    "strengths",
    "information",
];

/// The key of the object that replaces a sealed string.
const SEALED: &str = "$sealed";

/// The `installation_settings` row naming the installation key.
pub(crate) const KEY_SETTING: &str = "installation_key";

/// The audit action of a key rotation.
pub const KEY_ROTATED: &str = "keys.rotated";
/// The audit action of the first key of a database (its plaintext content sealed).
pub const KEY_ADOPTED: &str = "keys.adopted";
/// The audit action of case keys restored from a key backup.
pub const KEYS_RESTORED: &str = "keys.restored";

const FILE_TAG: &str = "wegbereiter-installation-key-v1";
const AAD_CHECK: &[u8] = b"wegbereiter key check v1";
const AAD_CASE_KEY: &[u8] = b"wegbereiter case key v1";
const AAD_SEALED: &[u8] = b"wegbereiter sealed v1";
const NONCE_LEN: usize = 24;

/// Why a key file cannot be used. Nothing was changed.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// There is no file.
    #[error("the key file {} does not exist", .0.display())]
    Missing(PathBuf),
    /// A new key file would overwrite one.
    #[error("the key file {} exists already; it was left unchanged", .0.display())]
    Exists(PathBuf),
    /// The file holds no installation key.
    #[error("{} is not a Wegbereiter key file", .0.display())]
    Invalid(PathBuf),
    /// Others than its owner may read the file.
    #[error(
        "the key file {} may be read by others (mode {mode:o}); allow only its owner \
         (chmod 600)",
        path.display()
    )]
    TooOpen {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Reading or writing failed.
    #[error("cannot use the key file {}: {reason}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
}

/// The installation key: 256 random bits that wrap every case key. Kept in a key file, never
/// in the database; zeroed in memory when dropped.
pub struct InstallationKey {
    bytes: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for InstallationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InstallationKey({})", self.id())
    }
}

impl InstallationKey {
    /// A new random key (the operating system's random source).
    #[must_use]
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        Self { bytes }
    }

    /// The key's id: 16 hex digits of a SHA-256 over it, safe to show and to store.
    #[must_use]
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"wegbereiter installation key id\0");
        h.update(self.bytes.as_ref());
        hex::encode(&h.finalize()[..8])
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(*self.bytes))
    }

    /// Reads the key file at `path`.
    ///
    /// # Errors
    /// [`KeyFileError::Missing`], [`KeyFileError::TooOpen`] (on Unix, a file that group or
    /// others may read), [`KeyFileError::Invalid`], [`KeyFileError::Io`].
    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        let io = |e: std::io::Error| {
            if e.kind() == std::io::ErrorKind::NotFound {
                KeyFileError::Missing(path.to_owned())
            } else {
                KeyFileError::Io {
                    path: path.to_owned(),
                    reason: e.to_string(),
                }
            }
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(KeyFileError::TooOpen {
                    path: path.to_owned(),
                    mode,
                });
            }
        }
        if !meta.is_file() || meta.len() > 4096 {
            return Err(KeyFileError::Invalid(path.to_owned()));
        }
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(io)?);
        let encoded = text
            .lines()
            .find_map(|l| l.trim().strip_prefix(FILE_TAG))
            .map(str::trim)
            .ok_or_else(|| KeyFileError::Invalid(path.to_owned()))?;
        let decoded = Zeroizing::new(
            B64.decode(encoded)
                .map_err(|_| KeyFileError::Invalid(path.to_owned()))?,
        );
        let mut bytes = Zeroizing::new([0u8; 32]);
        if decoded.len() != 32 {
            return Err(KeyFileError::Invalid(path.to_owned()));
        }
        bytes.copy_from_slice(&decoded);
        Ok(Self { bytes })
    }

    /// Makes a new key and writes it to the new file `path` (mode 0600, never overwriting).
    ///
    /// # Errors
    /// [`KeyFileError::Exists`], [`KeyFileError::Io`].
    pub fn create(path: &Path) -> Result<Self, KeyFileError> {
        let key = Self::generate();
        key.write_new(path)?;
        Ok(key)
    }

    /// Writes this key to the new file `path` (mode 0600 on Unix, created before anything is
    /// written into it; never overwrites), synced to disk.
    ///
    /// # Errors
    /// [`KeyFileError::Exists`], [`KeyFileError::Io`].
    pub fn write_new(&self, path: &Path) -> Result<(), KeyFileError> {
        use std::io::Write;
        let io = |e: std::io::Error| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                KeyFileError::Exists(path.to_owned())
            } else {
                KeyFileError::Io {
                    path: path.to_owned(),
                    reason: e.to_string(),
                }
            }
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(io)?;
        let text = Zeroizing::new(format!(
            "# Wegbereiter installation key {}: keep it secret, back it up apart from the \
             database; without it no sealed note can be read.\n{FILE_TAG} {}\n",
            self.id(),
            B64.encode(self.bytes.as_ref())
        ));
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)
    }

    /// The check value stored in the database: proves at open that a key is this one.
    fn check_value(&self) -> Result<String, StorageError> {
        seal_bytes(&self.cipher(), self.id().as_bytes(), AAD_CHECK)
    }

    fn checks(&self, stored: &StoredKey) -> bool {
        stored.id == self.id()
            && open_bytes(&self.cipher(), &stored.check, AAD_CHECK)
                .is_some_and(|plain| plain.as_slice() == self.id().as_bytes())
    }

    fn wrap(&self, case: Uuid, case_key: &[u8; 32]) -> Result<String, StorageError> {
        seal_bytes(&self.cipher(), case_key, &aad(AAD_CASE_KEY, case))
    }

    fn unwrap_key(&self, case: Uuid, wrapped: &str) -> Option<CaseKey> {
        let plain = open_bytes(&self.cipher(), wrapped, &aad(AAD_CASE_KEY, case))?;
        let raw: Zeroizing<[u8; 32]> = Zeroizing::new(plain.as_slice().try_into().ok()?);
        Some(CaseKey {
            case,
            cipher: XChaCha20Poly1305::new(&Key::from(*raw)),
        })
    }
}

fn aad(context: &[u8], case: Uuid) -> Vec<u8> {
    let mut out = context.to_vec();
    out.extend_from_slice(case.as_bytes());
    out
}

fn seal_bytes(
    cipher: &XChaCha20Poly1305,
    plain: &[u8],
    aad: &[u8],
) -> Result<String, StorageError> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ct = cipher
        .encrypt(&nonce, Payload { msg: plain, aad })
        .map_err(|_| StorageError::Backend("encryption failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Ok(B64.encode(out))
}

fn open_bytes(cipher: &XChaCha20Poly1305, sealed: &str, aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let raw = B64.decode(sealed).ok()?;
    if raw.len() < NONCE_LEN {
        return None;
    }
    let (nonce, ct) = raw.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
        .ok()
        .map(Zeroizing::new)
}

/// The installation key a database names (its `installation_settings` row).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredKey {
    id: String,
    check: String,
}

/// One case's data key, unwrapped.
pub(crate) struct CaseKey {
    case: Uuid,
    cipher: XChaCha20Poly1305,
}

impl CaseKey {
    fn seal(&self, text: &str) -> Result<Value, StorageError> {
        let sealed = seal_bytes(&self.cipher, text.as_bytes(), &aad(AAD_SEALED, self.case))?;
        let mut map = serde_json::Map::new();
        map.insert(SEALED.to_owned(), Value::String(sealed));
        Ok(Value::Object(map))
    }

    fn open(&self, sealed: &str) -> Result<String, StorageError> {
        let plain =
            open_bytes(&self.cipher, sealed, &aad(AAD_SEALED, self.case)).ok_or_else(|| {
                StorageError::Corrupt(format!(
                    "case {}: a sealed text does not open with the case's key (changed, or \
                     moved from another case)",
                    self.case
                ))
            })?;
        String::from_utf8(plain.to_vec())
            .map_err(|_| StorageError::Corrupt(format!("case {}: a sealed text", self.case)))
    }
}

/// Whether a stored document holds sealed values (a cheap test before parsing).
pub(crate) fn is_sealed(doc: &str) -> bool {
    doc.contains("\"$sealed\"")
}

fn sealed_of(value: &Value) -> Option<&str> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get(SEALED).and_then(Value::as_str),
        _ => None,
    }
}

/// Whether `value` holds a string that is to be sealed.
fn has_sealable(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (v.is_string() && SEALED_FIELDS.contains(&k.as_str())) || has_sealable(v)
        }),
        Value::Array(items) => items.iter().any(has_sealable),
        _ => false,
    }
}

fn seal_value(value: &mut Value, key: &CaseKey) -> Result<(), StorageError> {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if let Value::String(text) = v
                    && SEALED_FIELDS.contains(&k.as_str())
                {
                    *v = key.seal(text)?;
                } else {
                    seal_value(v, key)?;
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                seal_value(v, key)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Replaces every sealed value by what `open` makes of it.
fn replace_sealed(
    value: &mut Value,
    open: &mut dyn FnMut(&str) -> Result<String, StorageError>,
) -> Result<(), StorageError> {
    if let Some(sealed) = sealed_of(value) {
        *value = Value::String(open(sealed)?);
        return Ok(());
    }
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                replace_sealed(v, open)?;
            }
        }
        Value::Array(items) => {
            for v in items {
                replace_sealed(v, open)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A stored document with a placeholder text in place of every sealed value: its shape, for
/// `verify`, which has no key.
pub(crate) fn blind(doc: &str) -> Result<Cow<'_, str>, String> {
    if !is_sealed(doc) {
        return Ok(Cow::Borrowed(doc));
    }
    let mut value: Value = serde_json::from_str(doc).map_err(|e| e.to_string())?;
    replace_sealed(&mut value, &mut |_| Ok("versiegelt".to_owned())).map_err(|e| e.to_string())?;
    Ok(Cow::Owned(value.to_string()))
}

/// The installation key of a store, shared by its clones; `None` for a database without one.
#[derive(Clone, Default)]
pub(crate) struct Vault {
    key: Arc<RwLock<Option<Arc<InstallationKey>>>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault({:?})", self.current().map(|k| k.id()))
    }
}

impl Vault {
    pub(crate) fn with(key: Option<InstallationKey>) -> Self {
        Self {
            key: Arc::new(RwLock::new(key.map(Arc::new))),
        }
    }

    pub(crate) fn current(&self) -> Option<Arc<InstallationKey>> {
        self.key.read().ok().and_then(|k| k.clone())
    }

    fn replace(&self, key: InstallationKey) {
        if let Ok(mut slot) = self.key.write() {
            *slot = Some(Arc::new(key));
        }
    }

    /// The key of case `case`; with `create`, one is made (and stored) if it has none.
    async fn case_key<C: ConnectionTrait>(
        &self,
        conn: &C,
        case: Uuid,
        create: bool,
    ) -> Result<Option<CaseKey>, StorageError> {
        let Some(installation) = self.current() else {
            return Ok(None);
        };
        let row = case_keys::Entity::find_by_id(case)
            .one(conn)
            .await
            .map_err(storage)?;
        if let Some(row) = row {
            return installation
                .unwrap_key(case, &row.wrapped)
                .map(Some)
                .ok_or_else(|| {
                    StorageError::Backend(format!(
                        "the key of case {case} does not open with the installation key {} \
                         (it was wrapped by key {}): wrong key file",
                        installation.id(),
                        row.key_id
                    ))
                });
        }
        if !create {
            return Ok(None);
        }
        let mut fresh = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(fresh.as_mut());
        // A writer racing for the same case (PostgreSQL) may insert its key first: then its
        // key is the case's (this insert waits for it and does nothing), and this writer
        // loses the race for the events afterwards, as any other.
        case_keys::Entity::insert(case_keys::ActiveModel {
            case_id: Set(case),
            wrapped: Set(installation.wrap(case, &fresh)?),
            key_id: Set(installation.id()),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(case_keys::Column::CaseId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map_err(storage)?;
        let row = case_keys::Entity::find_by_id(case)
            .one(conn)
            .await
            .map_err(storage)?
            .ok_or_else(|| StorageError::Backend(format!("the key of case {case} vanished")))?;
        installation
            .unwrap_key(case, &row.wrapped)
            .map(Some)
            .ok_or_else(|| StorageError::Backend(format!("the key of case {case} does not open")))
    }

    /// The documents of case `case` as they are to be stored: unchanged if none holds text
    /// to seal or the database has no installation key; else every such text sealed with the
    /// case's key (made now if the case has none).
    ///
    /// # Errors
    /// [`StorageError`] if the key cannot be read or stored.
    pub(crate) async fn seal_docs<C: ConnectionTrait>(
        &self,
        conn: &C,
        case: CaseId,
        docs: Vec<String>,
    ) -> Result<Vec<String>, StorageError> {
        if self.current().is_none() {
            return Ok(docs);
        }
        let mut parsed = Vec::with_capacity(docs.len());
        let mut any = false;
        for doc in &docs {
            let value: Value = serde_json::from_str(doc)
                .map_err(|e| StorageError::Backend(format!("a document to seal: {e}")))?;
            let sealable = has_sealable(&value);
            any |= sealable;
            parsed.push(sealable.then_some(value));
        }
        if !any {
            return Ok(docs);
        }
        let Some(key) = self.case_key(conn, case.as_uuid(), true).await? else {
            return Ok(docs);
        };
        docs.into_iter()
            .zip(parsed)
            .map(|(doc, value)| match value {
                None => Ok(doc),
                Some(mut value) => {
                    seal_value(&mut value, &key)?;
                    Ok(value.to_string())
                }
            })
            .collect()
    }

    /// One document to store, as [`Vault::seal_docs`].
    pub(crate) async fn seal_doc<C: ConnectionTrait>(
        &self,
        conn: &C,
        case: CaseId,
        doc: String,
    ) -> Result<String, StorageError> {
        Ok(self
            .seal_docs(conn, case, vec![doc])
            .await?
            .pop()
            .unwrap_or_default())
    }

    /// An opener of case `case`'s stored documents; it reads the case key once, when the
    /// first sealed document comes.
    pub(crate) fn opener(&self, case: Uuid) -> Opener<'_> {
        Opener {
            vault: self,
            case,
            key: None,
        }
    }
}

const AAD_DOCUMENT: &[u8] = b"wegbereiter document v1";

/// The associated data of a kept document: bound to its case and its id, so that a sealed
/// document moved to another row does not open.
fn document_aad(case: Uuid, document: Uuid) -> Vec<u8> {
    let mut out = aad(AAD_DOCUMENT, case);
    out.extend_from_slice(document.as_bytes());
    out
}

impl Vault {
    /// A kept document's bytes as stored, and whether they are sealed: with an installation
    /// key sealed with case `case`'s data key (made now if it has none: erasing the case
    /// destroys it, crypto-shredding the document with the texts), nonce ‖ ciphertext ‖ tag;
    /// without one, as given.
    ///
    /// # Errors
    /// [`StorageError`] if the case key cannot be read or stored.
    pub(crate) async fn seal_document<C: ConnectionTrait>(
        &self,
        conn: &C,
        case: Uuid,
        document: Uuid,
        bytes: &[u8],
    ) -> Result<(Vec<u8>, bool), StorageError> {
        let Some(key) = self.case_key(conn, case, true).await? else {
            return Ok((bytes.to_vec(), false));
        };
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = document_aad(case, document);
        let ct = key
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: bytes,
                    aad: &aad,
                },
            )
            .map_err(|_| StorageError::Backend("encryption failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok((out, true))
    }

    /// A kept document's bytes opened (`sealed` as stored).
    ///
    /// # Errors
    /// [`StorageError::Backend`] when the store has no key or the case key is gone (erased,
    /// or a restored backup without its key backup); [`StorageError::Corrupt`] when the
    /// sealed bytes do not open.
    pub(crate) async fn open_document<C: ConnectionTrait>(
        &self,
        conn: &C,
        case: Uuid,
        document: Uuid,
        stored: Vec<u8>,
        sealed: bool,
    ) -> Result<Vec<u8>, StorageError> {
        if !sealed {
            return Ok(stored);
        }
        let Some(key) = self.case_key(conn, case, false).await? else {
            return Err(StorageError::Backend(format!(
                "the kept document {document} of case {case} cannot be read: the store has \
                 no installation key, or the case key is gone"
            )));
        };
        let corrupt = || {
            StorageError::Corrupt(format!(
                "case {case}: the kept document {document} does not open with the case's key"
            ))
        };
        if stored.len() < NONCE_LEN {
            return Err(corrupt());
        }
        let (nonce, ct) = stored.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| corrupt())?;
        let aad = document_aad(case, document);
        key.cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| corrupt())
    }
}

const SESSION_TAG: &[u8] = b"WBS1";
const AAD_SESSION: &[u8] = b"wegbereiter session v1";

impl Vault {
    /// Web session data as stored: sealed with the installation key (a refused form kept for
    /// one display may hold a note), bound to the session's key; as given without a key.
    pub(crate) fn seal_session(&self, id_hash: &str, data: &[u8]) -> Result<Vec<u8>, StorageError> {
        let Some(key) = self.current() else {
            return Ok(data.to_vec());
        };
        let mut aad = AAD_SESSION.to_vec();
        aad.extend_from_slice(id_hash.as_bytes());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = key
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: data,
                    aad: &aad,
                },
            )
            .map_err(|_| StorageError::Backend("encryption failed".into()))?;
        let mut out = SESSION_TAG.to_vec();
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Stored web session data opened; `None` when it does not open (another installation
    /// key, e.g. after a rotation: the person signs in again).
    pub(crate) fn open_session(&self, id_hash: &str, stored: Vec<u8>) -> Option<Vec<u8>> {
        let Some(rest) = stored.strip_prefix(SESSION_TAG) else {
            return Some(stored);
        };
        let key = self.current()?;
        if rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ct) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let mut aad = AAD_SESSION.to_vec();
        aad.extend_from_slice(id_hash.as_bytes());
        key.cipher()
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad: &aad })
            .ok()
    }
}

/// Opens the stored documents of one case (see [`Vault::opener`]).
pub(crate) struct Opener<'a> {
    vault: &'a Vault,
    case: Uuid,
    key: Option<CaseKey>,
}

impl Opener<'_> {
    /// `doc` with every sealed value opened.
    ///
    /// # Errors
    /// [`StorageError::Backend`] when the store has no key or the case's key is gone (erased,
    /// or a restored backup without its key backup); [`StorageError::Corrupt`] when a sealed
    /// value does not open.
    pub(crate) async fn open<'d, C: ConnectionTrait>(
        &mut self,
        conn: &C,
        doc: &'d str,
    ) -> Result<Cow<'d, str>, StorageError> {
        if !is_sealed(doc) {
            return Ok(Cow::Borrowed(doc));
        }
        if self.key.is_none() {
            if self.vault.current().is_none() {
                return Err(StorageError::Backend(format!(
                    "case {} holds sealed content and the store has no installation key: \
                     give the key file (--key-file)",
                    self.case
                )));
            }
            self.key = self.vault.case_key(conn, self.case, false).await?;
        }
        let Some(key) = &self.key else {
            return Err(StorageError::Backend(format!(
                "the sealed content of case {} cannot be read: its case key is gone (the \
                 case was erased, or this is a restored backup without its key backup)",
                self.case
            )));
        };
        let mut value: Value = serde_json::from_str(doc)
            .map_err(|e| StorageError::Corrupt(format!("case {}: {e}", self.case)))?;
        replace_sealed(&mut value, &mut |s| key.open(s))?;
        Ok(Cow::Owned(value.to_string()))
    }
}

/// The installation key a database names, if any.
async fn stored_key<C: ConnectionTrait>(conn: &C) -> Result<Option<StoredKey>, StorageError> {
    let row = installation_settings::Entity::find_by_id(KEY_SETTING.to_owned())
        .one(conn)
        .await
        .map_err(storage)?;
    row.map(|r| {
        serde_json::from_str(&r.value)
            .map_err(|e| StorageError::Corrupt(format!("stored installation key: {e}")))
    })
    .transpose()
}

async fn store_key<C: ConnectionTrait>(
    conn: &C,
    key: &InstallationKey,
) -> Result<(), StorageError> {
    let value = serde_json::to_string(&StoredKey {
        id: key.id(),
        check: key.check_value()?,
    })
    .map_err(|e| StorageError::Backend(e.to_string()))?;
    crate::repo::upsert(
        installation_settings::ActiveModel {
            name: Set(KEY_SETTING.to_owned()),
            value: Set(value),
            changed_at: Set(crate::mapping::ts(chrono::Utc::now())),
        },
        conn,
    )
    .await
    .map_err(storage)
}

/// What [`check`] found.
pub(crate) enum KeyState {
    /// The database names this key.
    Matches,
    /// The database names no key and none was given.
    Plain,
    /// The database named no key; the given one was stored now (its content is to be sealed).
    Adopted,
}

/// Why the key given at open does not fit the database.
pub(crate) enum KeyRefusal {
    /// The database has a key and none was given.
    Required { id: String },
    /// The database has another key.
    Wrong { expected: String, given: String },
    /// Reading failed.
    Storage(StorageError),
}

/// Checks `key` against the database at open (inside the migration transaction).
pub(crate) async fn check<C: ConnectionTrait>(
    conn: &C,
    key: Option<&InstallationKey>,
) -> Result<KeyState, KeyRefusal> {
    let stored = stored_key(conn).await.map_err(KeyRefusal::Storage)?;
    match (stored, key) {
        (Some(stored), Some(key)) if key.checks(&stored) => Ok(KeyState::Matches),
        (Some(stored), Some(key)) => Err(KeyRefusal::Wrong {
            expected: stored.id,
            given: key.id(),
        }),
        (Some(stored), None) => Err(KeyRefusal::Required { id: stored.id }),
        (None, None) => Ok(KeyState::Plain),
        (None, Some(key)) => {
            store_key(conn, key).await.map_err(KeyRefusal::Storage)?;
            Ok(KeyState::Adopted)
        }
    }
}

/// Seals the plaintext content of every case (a database that just got its first key): each
/// event payload and state holding text to seal is sealed and the chain of the case re-linked
/// over the sealed payloads (a redacted stub keeps the hash its erasure listed). Refuses, and
/// changes nothing, if a chain is broken before. Returns the number of events sealed.
pub(crate) async fn adopt<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
) -> Result<u64, StorageError> {
    use crate::entity::{cases, events};
    use sea_orm::{QueryOrder, QuerySelect};
    let ids: Vec<Uuid> = cases::Entity::find()
        .select_only()
        .column(cases::Column::Id)
        .into_tuple()
        .all(conn)
        .await
        .map_err(storage)?;
    let mut sealed = 0;
    for id in ids {
        let rows = events::Entity::find()
            .filter(events::Column::CaseId.eq(id))
            .order_by_asc(events::Column::Sequence)
            .all(conn)
            .await
            .map_err(storage)?;
        sealed += crate::chain::reseal_case(conn, vault, id, rows).await?;
    }
    Ok(sealed)
}

/// Rewraps every case key under `new` (one transaction, the caller's) and names `new` as the
/// installation key. Returns the number of case keys.
pub(crate) async fn rewrap_all<C: ConnectionTrait>(
    conn: &C,
    old: &InstallationKey,
    new: &InstallationKey,
) -> Result<u64, StorageError> {
    let rows = case_keys::Entity::find().all(conn).await.map_err(storage)?;
    let n = rows.len() as u64;
    for row in rows {
        let raw = key_bytes_of(old, row.case_id, &row.wrapped)?;
        case_keys::Entity::update_many()
            .col_expr(
                case_keys::Column::Wrapped,
                sea_orm::sea_query::Expr::value(new.wrap(row.case_id, &raw)?),
            )
            .col_expr(
                case_keys::Column::KeyId,
                sea_orm::sea_query::Expr::value(new.id()),
            )
            .filter(case_keys::Column::CaseId.eq(row.case_id))
            .exec(conn)
            .await
            .map_err(storage)?;
    }
    store_key(conn, new).await?;
    Ok(n)
}

fn key_bytes_of(
    key: &InstallationKey,
    case: Uuid,
    wrapped: &str,
) -> Result<Zeroizing<[u8; 32]>, StorageError> {
    let plain = open_bytes(&key.cipher(), wrapped, &aad(AAD_CASE_KEY, case))
        .filter(|p| p.len() == 32)
        .ok_or_else(|| {
            StorageError::Backend(format!(
                "the key of case {case} does not open with the installation key {}; nothing \
                 was changed",
                key.id()
            ))
        })?;
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&plain);
    Ok(out)
}

/// Replaces the vault's key after a committed rotation.
pub(crate) fn switch(vault: &Vault, new: InstallationKey) {
    vault.replace(new);
}

/// One wrapped case key of a key backup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WrappedCaseKey {
    /// The case.
    pub case_id: Uuid,
    /// Its data key, wrapped by the installation key named in the backup.
    pub wrapped: String,
}

/// A key backup: every case key of a database, wrapped by its installation key
/// ([`crate::Store::export_case_keys`]). Holds no content and is useless without the key file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CaseKeyBackup {
    /// Format version (1).
    pub format: u32,
    /// The id of the installation key that wrapped the keys.
    pub installation_key: String,
    /// The keys.
    pub keys: Vec<WrappedCaseKey>,
}

pub(crate) async fn export<C: ConnectionTrait>(
    conn: &C,
    key: &InstallationKey,
) -> Result<CaseKeyBackup, StorageError> {
    let mut keys: Vec<WrappedCaseKey> = case_keys::Entity::find()
        .all(conn)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|r| WrappedCaseKey {
            case_id: r.case_id,
            wrapped: r.wrapped,
        })
        .collect();
    keys.sort_by_key(|k| k.case_id);
    Ok(CaseKeyBackup {
        format: 1,
        installation_key: key.id(),
        keys,
    })
}

/// Restores the keys of `backup` for cases that have events and no key; returns how many.
pub(crate) async fn restore<C: ConnectionTrait>(
    conn: &C,
    key: &InstallationKey,
    backup: &CaseKeyBackup,
) -> Result<u64, StorageError> {
    use crate::entity::events;
    use sea_orm::{PaginatorTrait, QuerySelect};
    if backup.installation_key != key.id() {
        return Err(StorageError::Backend(format!(
            "the key backup was wrapped by installation key {}, this database uses {}: restore \
             a key backup taken with the current key file; nothing was changed",
            backup.installation_key,
            key.id()
        )));
    }
    let mut n = 0;
    for k in &backup.keys {
        if key.unwrap_key(k.case_id, &k.wrapped).is_none() {
            return Err(StorageError::Corrupt(format!(
                "the key backup's key of case {} does not open",
                k.case_id
            )));
        }
        let has_key = case_keys::Entity::find_by_id(k.case_id)
            .one(conn)
            .await
            .map_err(storage)?
            .is_some();
        let has_events = events::Entity::find()
            .filter(events::Column::CaseId.eq(k.case_id))
            .limit(1)
            .count(conn)
            .await
            .map_err(storage)?
            > 0;
        if has_key || !has_events {
            continue;
        }
        case_keys::Entity::insert(case_keys::ActiveModel {
            case_id: Set(k.case_id),
            wrapped: Set(k.wrapped.clone()),
            key_id: Set(key.id()),
        })
        .exec_without_returning(conn)
        .await
        .map_err(storage)?;
        n += 1;
    }
    Ok(n)
}

/// Deletes the key of case `case` (crypto-shredding).
pub(crate) async fn destroy<C: ConnectionTrait>(conn: &C, case: Uuid) -> Result<(), StorageError> {
    case_keys::Entity::delete_many()
        .filter(case_keys::Column::CaseId.eq(case))
        .exec(conn)
        .await
        .map(drop)
        .map_err(storage)
}

impl crate::Store {
    /// Rotates the installation key: every case key is rewrapped by `new`, and the database
    /// names `new` as its key, in one transaction (audited as [`KEY_ROTATED`]); the sealed
    /// content is not touched. Afterwards this store (and its clones) use `new`; other
    /// processes must be restarted with the new key file. The caller writes `new` to its file
    /// before (so that a crash after the commit never leaves a database whose key exists
    /// nowhere). Returns how many case keys were rewrapped.
    ///
    /// # Errors
    /// [`StorageError::Backend`] if the store has no key or a case key does not open with
    /// it; other [`StorageError`]s. Nothing is changed then.
    pub async fn rotate_key(
        &self,
        new: InstallationKey,
        stamp: wegbereiter_core::ports::AuditStamp,
    ) -> Result<u64, StorageError> {
        let old = self.vault().current().ok_or_else(|| {
            StorageError::Backend("the store has no installation key to rotate".into())
        })?;
        let txn = crate::begin_write(self.conn()).await.map_err(storage)?;
        if self.backend() == crate::Backend::Postgres {
            // No new case key may be wrapped by the old key while the others are rewrapped.
            txn.execute_unprepared("LOCK TABLE case_keys IN EXCLUSIVE MODE")
                .await
                .map_err(storage)?;
        }
        let n = rewrap_all(&txn, &old, &new).await?;
        crate::repo::audit(
            &txn,
            stamp,
            KEY_ROTATED,
            format!(
                "installation key {} → {} ({n} case keys)",
                old.id(),
                new.id()
            ),
        )
        .await?;
        txn.commit().await.map_err(storage)?;
        switch(self.vault(), new);
        Ok(n)
    }

    /// The key backup of this database: every case key, wrapped by the installation key as
    /// stored. Data backups ([`crate::Store::backup_to`], or `pg_dump` as documented) carry
    /// no case keys; a restore needs a key backup taken with the current key file at or
    /// after the data backup.
    ///
    /// # Errors
    /// [`StorageError::Backend`] if the store has no key; other [`StorageError`]s.
    pub async fn export_case_keys(&self) -> Result<CaseKeyBackup, StorageError> {
        let key = self
            .vault()
            .current()
            .ok_or_else(|| StorageError::Backend("the store has no installation key".into()))?;
        let txn = crate::begin_snapshot(self.conn()).await.map_err(storage)?;
        let out = export(&txn, &key).await;
        let _ = txn.rollback().await;
        out
    }

    /// Restores the case keys of a key backup into this database (a restored data backup):
    /// only for cases that have events and no key, so an erased case stays erased and no key
    /// is replaced. Audited as [`KEYS_RESTORED`]; returns how many keys were restored.
    ///
    /// # Errors
    /// [`StorageError::Backend`] if the backup was wrapped by another installation key than
    /// this store's (nothing is changed); other [`StorageError`]s.
    pub async fn restore_case_keys(
        &self,
        backup: &CaseKeyBackup,
        stamp: wegbereiter_core::ports::AuditStamp,
    ) -> Result<u64, StorageError> {
        let key = self
            .vault()
            .current()
            .ok_or_else(|| StorageError::Backend("the store has no installation key".into()))?;
        let txn = crate::begin_write(self.conn()).await.map_err(storage)?;
        let n = restore(&txn, &key, backup).await?;
        crate::repo::audit(
            &txn,
            stamp,
            KEYS_RESTORED,
            format!("{n} case keys (installation key {})", key.id()),
        )
        .await?;
        txn.commit().await.map_err(storage)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_texts_open_only_with_their_case_key_and_case() {
        let installation = InstallationKey::generate();
        let case = Uuid::from_u128(7);
        let mut raw = [0u8; 32];
        OsRng.fill_bytes(&mut raw);
        let wrapped = installation.wrap(case, &raw).unwrap();
        let key = installation.unwrap_key(case, &wrapped).unwrap();
        assert!(
            installation
                .unwrap_key(Uuid::from_u128(8), &wrapped)
                .is_none()
        );
        assert!(
            InstallationKey::generate()
                .unwrap_key(case, &wrapped)
                .is_none()
        );
        let mut doc =
            serde_json::json!({"event": {"contact": {"note": "GEHEIM", "kind": "phone"}}});
        assert!(has_sealable(&doc));
        seal_value(&mut doc, &key).unwrap();
        let stored = doc.to_string();
        assert!(
            !stored.contains("GEHEIM") && stored.contains("phone"),
            "{stored}"
        );
        let mut opened: Value = serde_json::from_str(&stored).unwrap();
        replace_sealed(&mut opened, &mut |s| key.open(s)).unwrap();
        assert_eq!(opened["event"]["contact"]["note"], "GEHEIM");
        let other = CaseKey {
            case: Uuid::from_u128(8),
            cipher: XChaCha20Poly1305::new(&Key::from(raw)),
        };
        let mut moved: Value = serde_json::from_str(&stored).unwrap();
        assert!(replace_sealed(&mut moved, &mut |s| other.open(s)).is_err());
        assert!(blind(&stored).unwrap().contains("versiegelt"));
    }
}

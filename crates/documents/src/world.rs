//! The typst `World` of one document: the template as its only source, the model as the
//! virtual file `/data.json`, the vendored fonts, and no access to the file system, the
//! network or the clock.

use std::sync::LazyLock;

use chrono::Datelike;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::DocumentError;

/// How many evictions a memoised result survives unused (see `comemo::evict`): enough for the
/// fonts and templates of the documents made recently, little for a server's memory.
pub const CACHE_RENDERS: usize = 8;

/// The vendored fonts, in the order of preference.
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/DejaVuSans.ttf"),
    include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
];

/// What every document shares, made once: the standard library, the fonts and their book.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// The id of a file of the project root.
fn file_id(path: &str) -> Result<FileId, DocumentError> {
    let vpath = VirtualPath::new(path).map_err(|e| DocumentError::Layout(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document to lay out.
pub struct Document {
    main: FileId,
    data: FileId,
    source: Source,
    json: Bytes,
}

impl Document {
    /// `template` with `json` as `/data.json`.
    pub fn new(template: &'static str, json: Vec<u8>) -> Result<Self, DocumentError> {
        let main = file_id("/main.typ")?;
        Ok(Self {
            main,
            data: file_id("/data.json")?,
            source: Source::new(main, template.to_owned()),
            json: Bytes::new(json),
        })
    }

    /// Lays the document out and writes it as PDF/A-2b, dated `date`.
    pub fn pdf(&self, date: Option<chrono::NaiveDate>) -> Result<Vec<u8>, DocumentError> {
        let document: PagedDocument = typst::compile(self)
            .output
            .map_err(|errors| DocumentError::Layout(messages(&errors)))?;
        let standards = PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| DocumentError::Pdf(e.message().to_string()))?;
        let timestamp = date
            .and_then(|d| {
                Datetime::from_ymd(
                    d.year(),
                    u8::try_from(d.month()).ok()?,
                    u8::try_from(d.day()).ok()?,
                )
            })
            .map(Timestamp::new_utc);
        let options = PdfOptions {
            standards,
            timestamp,
            creator: typst::foundations::Smart::Custom(Some("Wegbereiter".to_owned())),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| DocumentError::Pdf(messages(&errors)))
    }
}

/// typst's diagnostics as one line.
fn messages(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

impl World for Document {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data {
            Ok(self.json.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.source.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Documents carry their own date; typst's `datetime.today()` is not for them.
        None
    }
}

//! The tantivy index: schema, opening (rebuilt when the schema version changes), writes.

use std::fs;
use std::path::Path;
use std::sync::Mutex;

use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED,
};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analyzer::{self, SPANISH};
use crate::doc::{score_band, FacetKind, PracticeDoc};
use crate::Error;

/// Bump when the schema or the analyzer changes: an index written with another version is
/// deleted and rebuilt on start (its terms would not match the new analyzer's).
pub const SCHEMA_VERSION: u32 = 2;
const VERSION_FILE: &str = "redes-search-schema-version";
/// Most threads a single search uses (one segment per thread).
const MAX_SEARCH_THREADS: usize = 4;

/// How much the writer may buffer before flushing a segment. The app writes one practice at a
/// time, so one thread and the minimum tantivy accepts are enough; bulk loads can ask for more.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub threads: usize,
    pub memory_bytes: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            threads: 1,
            memory_bytes: 20_000_000,
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub body: Field,
    pub attachments: Field,
    pub facets: [Field; 6],
    pub score: Field,
    pub network_id: Field,
    pub published: Field,
}

impl Fields {
    pub fn facet(&self, kind: FacetKind) -> Field {
        self.facets[FacetKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(SPANISH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        // Stored because the snippets are cut from the stored text.
        .set_stored();
    let id = b.add_i64_field("id", INDEXED | STORED | FAST);
    let title = b.add_text_field("title", text.clone());
    let body = b.add_text_field("body", text.clone());
    let attachments = b.add_text_field("attachments", text);
    let facets = FacetKind::ALL.map(|k| b.add_facet_field(k.field_name(), FacetOptions::default()));
    let score = b.add_f64_field("score", STORED | FAST);
    let network_id = b.add_i64_field("network_id", INDEXED | FAST);
    let published = b.add_bool_field("published", INDEXED | FAST);
    let fields = Fields {
        id,
        title,
        body,
        attachments,
        facets,
        score,
        network_id,
        published,
    };
    (b.build(), fields)
}

/// The search index of practices. Cheap to share behind an `Arc`; writes are serialised by an
/// inner lock and each write is committed and visible to searches when the call returns.
pub struct Index {
    pub(crate) index: tantivy::Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    created: bool,
}

impl Index {
    /// An index that lives in memory only (tests, or a server without a data directory).
    pub fn in_memory() -> Result<Index, Error> {
        let (schema, fields) = schema();
        Index::wrap(
            tantivy::Index::create_in_ram(schema),
            fields,
            true,
            WriterOptions::default(),
        )
    }

    /// Opens the index in `dir`, creating it (and `dir`) when missing. When the directory holds
    /// an index of another schema version, or one that cannot be opened, its files are removed
    /// and an empty index is created: [`Index::needs_rebuild`] then says so, and the caller
    /// loads every practice again.
    pub fn open_or_create(dir: &Path) -> Result<Index, Error> {
        Index::open_or_create_with(dir, WriterOptions::default())
    }

    pub fn open_or_create_with(dir: &Path, options: WriterOptions) -> Result<Index, Error> {
        fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let version_path = dir.join(VERSION_FILE);
        let same_version = fs::read_to_string(&version_path)
            .map(|v| v.trim() == SCHEMA_VERSION.to_string())
            .unwrap_or(false);
        if same_version {
            let opened = MmapDirectory::open(dir)
                .map_err(|e| Error::Index(e.to_string()))
                .and_then(|d| tantivy::Index::open(d).map_err(Error::from));
            if let Ok(index) = opened {
                if index.schema() == schema {
                    return Index::wrap(index, fields, false, options);
                }
            }
        }
        // Another version, a broken index or none: start afresh. Only the files tantivy or we
        // wrote are removed, so a directory given by mistake keeps anything else it holds.
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let ours = name.ends_with(".idx")
                || name.ends_with(".term")
                || name.ends_with(".pos")
                || name.ends_with(".store")
                || name.ends_with(".fast")
                || name.ends_with(".fieldnorm")
                || name.ends_with(".del")
                || name.ends_with(".lock")
                || name == "meta.json"
                || name == ".managed.json"
                || name == VERSION_FILE;
            if ours && path.is_file() {
                fs::remove_file(&path)?;
            }
        }
        let index = tantivy::Index::create_in_dir(dir, schema)?;
        fs::write(&version_path, SCHEMA_VERSION.to_string())?;
        Index::wrap(index, fields, true, options)
    }

    fn wrap(
        mut index: tantivy::Index,
        fields: Fields,
        created: bool,
        options: WriterOptions,
    ) -> Result<Index, Error> {
        index.tokenizers().register(SPANISH, analyzer::spanish());
        // The segments of the index are searched in parallel, one thread per core (up to
        // four): a query that matches half of the practices is then split across cores.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 {
            index.set_multithread_executor(cores.min(MAX_SEARCH_THREADS))?;
        }
        let writer = index.writer_with_num_threads(options.threads.max(1), options.memory_bytes)?;
        // Reloaded by hand after each commit, so a write is visible as soon as it returns.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Index {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            created,
        })
    }

    /// True when this index was created empty by this process (new directory, in memory, or a
    /// schema change): the caller should load every practice into it.
    pub fn needs_rebuild(&self) -> bool {
        self.created
    }

    /// Number of practices in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Number of segments the searches read (each one can be searched on its own thread).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the practice, or replaces the one with the same id.
    pub fn upsert(&self, doc: &PracticeDoc) -> Result<(), Error> {
        self.upsert_many(std::iter::once(doc))
    }

    /// Adds or replaces many practices in one commit (a rebuild, a bulk load).
    pub fn upsert_many<'a>(
        &self,
        docs: impl IntoIterator<Item = &'a PracticeDoc>,
    ) -> Result<(), Error> {
        let mut writer = self.lock_writer();
        for doc in docs {
            writer.delete_term(Term::from_field_i64(self.fields.id, doc.id));
            writer.add_document(self.to_tantivy(doc))?;
        }
        self.commit(&mut writer)
    }

    /// Replaces the whole content of the index with `docs` (a rebuild), in one commit: a search
    /// running meanwhile sees the old content until the new one is complete.
    pub fn replace_all<'a>(
        &self,
        docs: impl IntoIterator<Item = &'a PracticeDoc>,
    ) -> Result<(), Error> {
        let mut writer = self.lock_writer();
        writer.delete_all_documents()?;
        for doc in docs {
            writer.add_document(self.to_tantivy(doc))?;
        }
        self.commit(&mut writer)
    }

    /// Removes the practice; removing one that is not there is not an error.
    pub fn delete(&self, id: i64) -> Result<(), Error> {
        let mut writer = self.lock_writer();
        writer.delete_term(Term::from_field_i64(self.fields.id, id));
        self.commit(&mut writer)
    }

    fn lock_writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock leaves the writer usable: uncommitted operations are
        // simply committed or dropped with the next write.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), Error> {
        if let Err(e) = writer.commit() {
            // Nothing half-written stays queued for the next commit.
            let _ = writer.rollback();
            return Err(e.into());
        }
        self.reader.reload()?;
        Ok(())
    }

    fn to_tantivy(&self, doc: &PracticeDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_i64(f.id, doc.id);
        d.add_text(f.title, &doc.title);
        d.add_text(f.body, &doc.body);
        d.add_text(f.attachments, &doc.attachments_text);
        for kind in FacetKind::ALL {
            let value = match kind {
                FacetKind::Country => doc.country.as_str(),
                FacetKind::Region => doc.region.as_str(),
                FacetKind::Level => doc.level.as_str(),
                FacetKind::Area => doc.area.as_str(),
                FacetKind::Stage => doc.stage.as_str(),
                FacetKind::ScoreBand => score_band(doc.score),
            };
            let value = value.trim();
            // An empty value is no facet (it would be counted as a nameless choice).
            if !value.is_empty() {
                d.add_facet(f.facet(kind), Facet::from_path([value]));
            }
        }
        if let Some(score) = doc.score.filter(|s| s.is_finite()) {
            d.add_f64(f.score, score);
        }
        d.add_i64(f.network_id, doc.network_id);
        d.add_bool(f.published, doc.published);
        d
    }
}

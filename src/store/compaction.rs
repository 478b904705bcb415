//! Compacting a closed store into LZ4-compressed files, which Oxigraph's own compaction does not
//! make.
//!
//! Why this exists: Oxigraph 0.5 opens RocksDB with `optimize_level_style_compaction`, whose
//! per-level compression is "none, none, LZ4, …", with `level_compaction_dynamic_level_bytes`.
//! With dynamic levels the files a compaction writes to the *base* level take the second entry,
//! no compression; and while a column family holds less than 512 MiB its base level is the last
//! one, where all its data ends up. So `Store::optimize` (and every background compaction of a
//! store of up to some 100,000 articles) rewrites the bulk loader's LZ4 files uncompressed: 1.6 GB
//! for 20,000 articles where `oxigraph load` of the same quads leaves 917 MB.
//!
//! Here the closed store is opened through RocksDB's C API (the `oxrocksdb-sys` Oxigraph itself
//! links) with Oxigraph's column families and options, the same calls in the same order so the
//! files read as fast (bloom filters and hash index for `id2str`, prefix extractors), plus LZ4 at
//! every level, and every column family is compacted down to the last level. Oxigraph reads LZ4
//! files whatever its options say: compression is recorded in each file.
//!
//! Oxigraph's later compactions (of the few changed graphs an incremental build writes) rewrite
//! what they touch without compression again, so [`Layout`] tells how far the store has grown
//! past its compacted size and the build compacts again when that passes a threshold.

use std::ffi::{c_char, CStr, CString};
use std::path::Path;
use std::ptr;

use oxrocksdb_sys as ffi;

/// A column family of Oxigraph's store and the options Oxigraph gives it
/// (`oxigraph::storage::rocksdb::column_families`, 0.5.13).
struct Family {
    name: &'static str,
    /// Point lookups only (`id2str`): bloom filters and a hash index in each block.
    point_lookup: bool,
    /// The fixed prefix Oxigraph's prefix extractor takes, 0 for none.
    prefix: usize,
    unordered_writes: bool,
}

const fn family(
    name: &'static str,
    point_lookup: bool,
    prefix: usize,
    unordered_writes: bool,
) -> Family {
    Family {
        name,
        point_lookup,
        prefix,
        unordered_writes,
    }
}

/// Every column family of an Oxigraph 0.5 store, in the order Oxigraph opens them.
const FAMILIES: [Family; 12] = [
    family("id2str", true, 0, true),
    family("spog", false, 17, false),
    family("posg", false, 17, false),
    family("ospg", false, 0, false),
    family("gspo", false, 17, false),
    family("gpos", false, 17, false),
    family("gosp", false, 17, false),
    family("dspo", false, 17, false),
    family("dpos", false, 17, false),
    family("dosp", false, 0, false),
    family("graphs", false, 17, false),
    family("default", false, 0, false),
];

/// RocksDB's `BottommostLevelCompaction::kForce`: rewrite the last level too, so files the bulk
/// loader ingested there are compressed like the rest.
const FORCE_BOTTOMMOST: u8 = 2;

/// Levels of Oxigraph's stores (RocksDB's default).
const LEVELS: usize = 7;

/// A RocksDB error, as RocksDB words it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RocksError(String);

/// The store's files by where they are, summed over the column families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// Bytes of all live table files.
    pub sst_bytes: u64,
    /// Table files in level 0 (just flushed, not yet compacted).
    pub level0_files: u64,
}

/// A store opened through the C API, closed when dropped.
struct RawDb {
    db: *mut ffi::rocksdb_t,
    options: *mut ffi::rocksdb_options_t,
    family_options: Vec<*mut ffi::rocksdb_options_t>,
    handles: Vec<*mut ffi::rocksdb_column_family_handle_t>,
}

/// Calls a RocksDB function that reports errors through a last `char **errptr` argument.
macro_rules! ffi_try {
    ($f:ident($($arg:expr),* $(,)?)) => {{
        let mut error: *mut c_char = ptr::null_mut();
        let result = ffi::$f($($arg,)* &mut error);
        if error.is_null() {
            Ok(result)
        } else {
            let message = CStr::from_ptr(error).to_string_lossy().into_owned();
            ffi::rocksdb_free(error.cast());
            Err(RocksError(message))
        }
    }};
}

impl RawDb {
    /// Opens the closed store at `path` with Oxigraph's options and LZ4 at every level.
    fn open(path: &Path, threads: usize) -> Result<RawDb, RocksError> {
        let c_path = CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|_| RocksError(format!("{} has a NUL byte", path.display())))?;
        let names: Vec<CString> = FAMILIES
            .iter()
            .map(|f| CString::new(f.name).expect("no NUL in a family name"))
            .collect();
        let name_ptrs: Vec<*const c_char> = names.iter().map(|n| n.as_ptr()).collect();
        let lz4 = ffi::rocksdb_lz4_compression as i32;
        // SAFETY: every pointer passed is either created just above by RocksDB and checked for
        // null, or borrowed from a live `CString`/`Vec` that outlives the call; ownership of the
        // prefix extractors passes to the options (the C API wraps them in a shared_ptr).
        unsafe {
            // Oxigraph's `Db::db_options` and `open_read_write`, in order.
            let options = ffi::rocksdb_options_create();
            assert!(!options.is_null(), "rocksdb_options_create returned null");
            ffi::rocksdb_options_optimize_level_style_compaction(options, 512 * 1024 * 1024);
            ffi::rocksdb_options_increase_parallelism(
                options,
                i32::try_from(threads.max(1)).unwrap_or(i32::MAX),
            );
            ffi::rocksdb_options_set_info_log_level(options, 2);
            ffi::rocksdb_options_set_max_log_file_size(options, 1024 * 1024);
            ffi::rocksdb_options_set_recycle_log_file_num(options, 10);
            ffi::rocksdb_options_set_compression(options, lz4);
            let table = ffi::rocksdb_block_based_options_create();
            assert!(
                !table.is_null(),
                "rocksdb_block_based_options_create returned null"
            );
            ffi::rocksdb_block_based_options_set_format_version(table, 5);
            ffi::rocksdb_block_based_options_set_index_block_restart_interval(table, 16);
            ffi::rocksdb_options_set_block_based_table_factory(options, table);
            // The factory holds its own copy of the table options.
            ffi::rocksdb_block_based_options_destroy(table);
            // Ours: LZ4 wherever a compaction writes, and nothing but the compaction asked for.
            let per_level = [lz4; LEVELS];
            ffi::rocksdb_options_set_compression_per_level(options, per_level.as_ptr(), LEVELS);
            ffi::rocksdb_options_set_bottommost_compression(options, lz4);
            ffi::rocksdb_options_set_disable_auto_compactions(options, 1);
            ffi::rocksdb_options_set_max_subcompactions(
                options,
                u32::try_from(threads.max(1)).unwrap_or(1),
            );
            // Oxigraph's `column_families_names_and_options`.
            let family_options: Vec<*mut ffi::rocksdb_options_t> = FAMILIES
                .iter()
                .map(|f| {
                    let o = ffi::rocksdb_options_create_copy(options);
                    assert!(!o.is_null(), "rocksdb_options_create_copy returned null");
                    if f.point_lookup {
                        ffi::rocksdb_options_optimize_for_point_lookup(o, 128);
                    }
                    if f.prefix > 0 {
                        ffi::rocksdb_options_set_prefix_extractor(
                            o,
                            ffi::rocksdb_slicetransform_create_fixed_prefix(f.prefix),
                        );
                    }
                    if f.unordered_writes {
                        ffi::rocksdb_options_set_unordered_write(o, 1);
                    }
                    o
                })
                .collect();
            let mut handles = vec![ptr::null_mut(); FAMILIES.len()];
            let opened = ffi_try!(rocksdb_open_column_families(
                options,
                c_path.as_ptr(),
                FAMILIES.len() as i32,
                name_ptrs.as_ptr(),
                family_options.as_ptr().cast(),
                handles.as_mut_ptr(),
            ));
            let db = match opened {
                Ok(db) => db,
                Err(e) => {
                    for o in family_options {
                        ffi::rocksdb_options_destroy(o);
                    }
                    ffi::rocksdb_options_destroy(options);
                    return Err(e);
                }
            };
            assert!(!db.is_null(), "rocksdb_open_column_families returned null");
            assert!(handles.iter().all(|h| !h.is_null()), "a null column family");
            Ok(RawDb {
                db,
                options,
                family_options,
                handles,
            })
        }
    }

    /// Compacts every column family down to the last level, recompressing it.
    fn compact_all(&self, threads: usize) -> Result<(), RocksError> {
        // SAFETY: `self.db` and the handles are open until `drop`; the options are created and
        // destroyed here.
        unsafe {
            let flush = ffi::rocksdb_flushoptions_create();
            assert!(
                !flush.is_null(),
                "rocksdb_flushoptions_create returned null"
            );
            ffi::rocksdb_flushoptions_set_wait(flush, 1);
            let flushed = ffi_try!(rocksdb_flush_cfs(
                self.db,
                flush,
                self.handles.as_ptr().cast_mut(),
                self.handles.len() as i32,
            ));
            ffi::rocksdb_flushoptions_destroy(flush);
            flushed?;
            let compact = ffi::rocksdb_compactoptions_create();
            assert!(
                !compact.is_null(),
                "rocksdb_compactoptions_create returned null"
            );
            ffi::rocksdb_compactoptions_set_bottommost_level_compaction(compact, FORCE_BOTTOMMOST);
            ffi::rocksdb_compactoptions_set_max_subcompactions(
                compact,
                i32::try_from(threads.max(1)).unwrap_or(1),
            );
            for &handle in &self.handles {
                ffi::rocksdb_compact_range_cf_opt(
                    self.db,
                    handle,
                    compact,
                    ptr::null(),
                    0,
                    ptr::null(),
                    0,
                );
            }
            ffi::rocksdb_compactoptions_destroy(compact);
        }
        Ok(())
    }

    /// The bytes and level-0 files of all column families.
    fn layout(&self) -> Layout {
        let mut layout = Layout::default();
        for &handle in &self.handles {
            layout.sst_bytes += self.property(handle, c"rocksdb.total-sst-files-size");
            layout.level0_files += self.property(handle, c"rocksdb.num-files-at-level0");
        }
        layout
    }

    fn property(&self, handle: *mut ffi::rocksdb_column_family_handle_t, name: &CStr) -> u64 {
        let mut value = 0;
        // SAFETY: the handle belongs to the open `self.db`; `value` outlives the call.
        let found =
            unsafe { ffi::rocksdb_property_int_cf(self.db, handle, name.as_ptr(), &mut value) };
        if found == 0 {
            value
        } else {
            0
        }
    }
}

impl Drop for RawDb {
    fn drop(&mut self) {
        // SAFETY: each pointer was created by `open`, is destroyed once, and in the order RocksDB
        // requires (handles before the database, options after it).
        unsafe {
            for &handle in &self.handles {
                ffi::rocksdb_column_family_handle_destroy(handle);
            }
            ffi::rocksdb_close(self.db);
            for &o in &self.family_options {
                ffi::rocksdb_options_destroy(o);
            }
            ffi::rocksdb_options_destroy(self.options);
        }
    }
}

/// Compacts the closed store at `path` into LZ4-compressed files in its last level, on `threads`
/// threads, and returns its layout afterwards. Nothing else may have the store open.
pub fn compact(path: &Path, threads: usize) -> Result<Layout, RocksError> {
    let db = RawDb::open(path, threads)?;
    db.compact_all(threads)?;
    Ok(db.layout())
}

/// How much larger than right after its last compaction a store's table files may grow before
/// an incremental build compacts it again. Edits go through Oxigraph, whose compactions leave
/// what they rewrite uncompressed: 100 one-article rebuilds at 20,000 articles grew the store by
/// 2.2% (see benches/README.md), so this is reached after some 1,000 edits, and a compaction
/// (the whole store rewritten) is paid that rarely.
pub const REGROWTH: f64 = 1.25;

/// Bytes of the table files of the closed store at `path` (a listing, RocksDB not opened).
pub fn table_bytes(path: &Path) -> std::io::Result<u64> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        if entry.path().extension().is_some_and(|e| e == "sst") {
            bytes += entry.metadata()?.len();
        }
    }
    Ok(bytes)
}

/// The layout of the closed store at `path`, read without compacting (a write-ahead log left
/// by the last session is flushed into level 0 on opening, as Oxigraph's next opening would).
pub fn layout(path: &Path) -> Result<Layout, RocksError> {
    Ok(RawDb::open(path, 1)?.layout())
}

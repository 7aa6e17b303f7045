//! The typed column builders (`milvus_columns_*`) through the C ABI, then an insert of what
//! was built into a collection of the stub server (fixed schemas of every type).
//!
//! Input: a row count byte, then operations of 4 bytes (which adder, how many rows it claims,
//! the dimension, flags: NULL pointers, a validity bitmap, the field name) followed by the
//! bytes its buffers are filled from. Every buffer holds exactly what the call's arguments
//! say it holds, so the library may read all of it and nothing more. Every call must return
//! a status other than MILVUS_ERR_PANIC, and an error object exactly when it fails.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milvus::ffi::client::{milvus_client, milvus_client_new};
use milvus::ffi::error::{milvus_error, milvus_error_free, milvus_error_status};
use milvus::ffi::status::{milvus_status, MILVUS_ERR_PANIC, MILVUS_OK};
use milvus::ffi::columns::*;
use milvus::ffi::result::milvus_result_free;
use milvus::ffi::typed_calls::milvus_client_insert_columns;
use std::ffi::{c_char, CString};
use std::ptr::{null, null_mut};
use std::sync::OnceLock;

const FIELDS: &[&str] = &[
    "id", "b", "i8", "i16", "i32", "i64", "f", "d", "s", "j", "v", "pk", "bv", "hv", "bfv", "sv",
    "i8v", "fv", "text", "df", "$meta", "", "x",
];

struct Client(*mut milvus_client);
// SAFETY: a milvus_client may be used from any thread (header, "Threads").
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

fn client() -> *mut milvus_client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let uri = CString::new(milvus_fuzz::stub::start()).expect("socket path");
            let mut c = null_mut();
            // SAFETY: valid strings or NULL, valid out-pointers.
            let s = unsafe {
                milvus_client_new(
                    uri.as_ptr(),
                    null(),
                    null(),
                    null(),
                    5.0,
                    &mut c,
                    null_mut(),
                )
            };
            assert_eq!(s, MILVUS_OK, "connecting to the stub failed");
            Client(c)
        })
        .0
}

/// Checks a call's status and error object, and frees the error.
fn checked(what: &str, s: milvus_status, err: *mut milvus_error) -> milvus_status {
    assert_ne!(s, MILVUS_ERR_PANIC, "{what} panicked");
    if s == MILVUS_OK {
        assert!(err.is_null(), "{what}: success with an error object");
    } else {
        assert!(!err.is_null(), "{what}: failed without an error object");
        // SAFETY: the library's error, not freed yet.
        let status = unsafe { milvus_error_status(err) };
        assert_eq!(status, s, "{what}: error and status differ");
        // SAFETY: the library's error, freed once.
        unsafe { milvus_error_free(err) };
    }
    s
}

/// Bytes to fill buffers from, cycled.
struct Fill<'a>(&'a [u8], usize);
impl Fill<'_> {
    fn byte(&mut self) -> u8 {
        if self.0.is_empty() {
            return 0;
        }
        let b = self.0[self.1 % self.0.len()];
        self.1 += 1;
        b
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
    fn f32s(&mut self, n: usize) -> Vec<f32> {
        (0..n)
            .map(|_| f32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()]))
            .collect()
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&rows, rest)) = data.split_first() else {
        return;
    };
    let rows = rows as usize % 17; // 0 is refused by milvus_columns_new
    let mut cols = null_mut();
    let mut err = null_mut();
    // SAFETY: valid out-pointers.
    let s = checked(
        "new",
        unsafe { milvus_columns_new(rows, &mut cols, &mut err) },
        err,
    );
    if s != MILVUS_OK {
        assert!(rows == 0, "milvus_columns_new({rows}) failed");
        return;
    }
    let (ops, fill) = rest.split_at(rest.len().min(4 * 12));
    let mut fill = Fill(fill, 0);
    for op in ops.chunks_exact(4) {
        let (kind, claim, dim, flags) = (op[0] % 15, op[1], op[2] as usize % 40, op[3]);
        // Usually the builder's row count, sometimes another small count.
        let n = if claim < 200 {
            rows
        } else {
            claim as usize % 20
        };
        let name = FIELDS[(flags >> 3) as usize % FIELDS.len()];
        let field = if flags & 0x80 != 0 && flags & 0x40 != 0 {
            CString::new(vec![0xff]).unwrap()
        } else {
            CString::new(name).unwrap()
        };
        let field_ptr = if flags & 1 != 0 && flags & 2 != 0 {
            null()
        } else {
            field.as_ptr()
        };
        let validity = fill.bytes(n.div_ceil(8));
        let validity_ptr = if flags & 4 != 0 {
            validity.as_ptr()
        } else {
            null()
        };
        let data_null = flags & 3 == 3 && flags & 0x40 == 0;
        let mut err = null_mut();
        macro_rules! scalar {
            ($f:ident, $t:ty, $make:expr) => {{
                let v: Vec<$t> = (0..n).map(|_| $make(&mut fill)).collect();
                let p = if data_null { null() } else { v.as_ptr() };
                // SAFETY: v holds n values; validity holds (n + 7) / 8 bytes.
                unsafe { $f(cols, field_ptr, p, n, validity_ptr, &mut err) }
            }};
        }
        macro_rules! vector {
            ($f:ident, $t:ty, $per_row:expr, $make:expr) => {{
                let v: Vec<$t> = (0..n * $per_row).map(|_| $make(&mut fill)).collect();
                let p = if data_null { null() } else { v.as_ptr() };
                // SAFETY: v holds n rows of the claimed dimension.
                unsafe { $f(cols, field_ptr, p, n, dim, &mut err) }
            }};
        }
        let s = match kind {
            0 => scalar!(milvus_columns_add_bool, bool, |f: &mut Fill| f.byte() & 1
                != 0),
            1 => scalar!(milvus_columns_add_int8, i8, |f: &mut Fill| f.byte() as i8),
            2 => scalar!(milvus_columns_add_int16, i16, |f: &mut Fill| {
                i16::from_le_bytes([f.byte(), f.byte()])
            }),
            3 => scalar!(milvus_columns_add_int32, i32, |f: &mut Fill| f.byte()
                as i32
                * 1000
                - 7),
            4 => scalar!(milvus_columns_add_int64, i64, |f: &mut Fill| {
                i64::from_le_bytes(std::array::from_fn(|_| f.byte()))
            }),
            5 => scalar!(milvus_columns_add_float, f32, |f: &mut Fill| f.f32s(1)[0]),
            6 => scalar!(milvus_columns_add_double, f64, |f: &mut Fill| f.f32s(1)[0]
                as f64),
            7 | 8 => {
                // Strings: NUL-terminated (lengths NULL) or with lengths, any bytes.
                let strs: Vec<Vec<u8>> = (0..n)
                    .map(|_| {
                        let l = fill.byte() as usize % 12;
                        fill.bytes(l)
                    })
                    .collect();
                let with_lengths = flags & 0x20 != 0;
                let owned: Vec<Vec<u8>> = strs
                    .iter()
                    .map(|s| {
                        let mut s: Vec<u8> = if with_lengths {
                            s.clone()
                        } else {
                            s.iter().copied().filter(|&b| b != 0).collect()
                        };
                        s.push(0);
                        s
                    })
                    .collect();
                let lens: Vec<usize> = owned.iter().map(|s| s.len() - 1).collect();
                let ptrs: Vec<*const c_char> = owned.iter().map(|s| s.as_ptr().cast()).collect();
                let p = if data_null { null() } else { ptrs.as_ptr() };
                let lp = if with_lengths { lens.as_ptr() } else { null() };
                // SAFETY: n strings, each NUL-terminated and lens[i] bytes long.
                unsafe {
                    if kind == 7 {
                        milvus_columns_add_varchar(
                            cols,
                            field_ptr,
                            p,
                            lp,
                            n,
                            validity_ptr,
                            &mut err,
                        )
                    } else {
                        milvus_columns_add_json(cols, field_ptr, p, lp, n, validity_ptr, &mut err)
                    }
                }
            }
            9 => vector!(milvus_columns_add_float_vector, f32, dim, |f: &mut Fill| f
                .f32s(1)[0]),
            10 => vector!(
                milvus_columns_add_binary_vector,
                u8,
                dim / 8,
                |f: &mut Fill| f.byte()
            ),
            11 => vector!(
                milvus_columns_add_float16_vector,
                u16,
                dim,
                |f: &mut Fill| u16::from_le_bytes([f.byte(), f.byte()])
            ),
            12 => vector!(
                milvus_columns_add_bfloat16_vector,
                u16,
                dim,
                |f: &mut Fill| u16::from_le_bytes([f.byte(), f.byte()])
            ),
            13 => vector!(
                milvus_columns_add_int8_vector,
                i8,
                dim,
                |f: &mut Fill| f.byte() as i8
            ),
            _ => {
                // CSR rows; offsets may go backwards (refused), the arrays hold up to the largest.
                let mut indptr = vec![0u64; n + 1];
                for i in 1..=n {
                    let d = fill.byte();
                    indptr[i] = if d & 0x80 != 0 && flags & 0x20 != 0 {
                        indptr[i - 1].saturating_sub(1)
                    } else {
                        indptr[i - 1] + (d % 5) as u64
                    };
                }
                let nnz = indptr.iter().copied().max().unwrap_or(0) as usize;
                let idx: Vec<u32> = (0..nnz).map(|_| fill.byte() as u32 * 3).collect();
                let vals = fill.f32s(nnz);
                let ip = if data_null { null() } else { indptr.as_ptr() };
                // SAFETY: indptr holds n + 1 offsets; idx and vals hold every offset's element.
                unsafe {
                    milvus_columns_add_sparse_vector(
                        cols,
                        field_ptr,
                        ip,
                        idx.as_ptr(),
                        vals.as_ptr(),
                        n,
                        &mut err,
                    )
                }
            }
        };
        checked(
            &format!("adder {kind} of {name:?} (n {n}, dim {dim})"),
            s,
            err,
        );
    }
    // Insert what was built into a collection of fixed schema 0..3 (the stub answers).
    let coll = CString::new(format!("c{}", data.len() % 4)).unwrap();
    let mut result = null_mut();
    let mut err = null_mut();
    // SAFETY: a live client and builder, valid strings and out-pointers.
    let s = unsafe {
        milvus_client_insert_columns(
            client(),
            coll.as_ptr(),
            cols,
            null(),
            &mut result,
            &mut err,
        )
    };
    if checked("insert_columns", s, err) == MILVUS_OK {
        assert!(!result.is_null());
        // SAFETY: the library's result, freed once.
        unsafe { milvus_result_free(result) };
    }
    // SAFETY: the builder from milvus_columns_new, freed once.
    unsafe { milvus_columns_free(cols) };
});

//! How many times vector bytes are copied on the typed path, measured by counting every byte
//! the process allocates: a copy of a payload needs an allocation of its size, so an insert
//! that allocates far less than its payload has not copied it again, and reading vectors out
//! of a result allocates nothing.
//! One test in this binary, so nothing else allocates meanwhile. It needs one server: Milvus
//! 2.3.5 standalone, else Milvus Lite 3.2.2. Milvus Lite 2.5.1 takes over 30 s to store the
//! 10 MB insert and meanwhile ends the connection for the client's keepalive pings ("Too many
//! pings"; pymilvus pings every 10 s too).

mod common;

use common::*;
use milvus::api::typed;
use milvus::codec::columns::Columns;
use milvus::codec::typed::Values;
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr came from System.alloc with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
        // SAFETY: as for realloc.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocated() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}

#[test]
fn typed_insert_copies_vectors_once_and_reads_copy_none() {
    let Some((_, uri)) = servers().into_iter().find(|s| s.0 != "lite") else {
        eprintln!("note: skipped: MILVUS_TEST_SERVERS leaves out standalone and lite3");
        return;
    };
    let c = connect(&uri);
    let name = unique("copies");
    const N: usize = 20_000;
    const DIM: usize = 128;
    call(
        &c,
        m::create_collection,
        json!({"collection_name": name, "dimension": DIM, "consistency_level": "Strong"}),
    )
    .unwrap();
    let ids: Vec<i64> = (0..N as i64).collect();
    let vecs: Vec<f32> = (0..N * DIM).map(|i| i as f32 * 0.5).collect();
    let payload = N * DIM * 4;

    let before = allocated();
    let mut cols = Columns::new(N).unwrap();
    cols.add_int64("id", &ids, None).unwrap();
    cols.add_float_vector("vector", &vecs, N, DIM).unwrap();
    let building = allocated() - before;
    assert!(
        building >= payload && building < payload + payload / 10,
        "building allocated {building} bytes for a {payload}-byte payload"
    );

    // Warm the schema cache so the measured call is the insert itself.
    block(typed::write_columns(
        &c,
        &name,
        &Columns::new(1)
            .map(|mut x| {
                x.add_int64("id", &[-1], None).unwrap();
                x.add_float_vector("vector", &[0.0; DIM], 1, DIM).unwrap();
                x
            })
            .unwrap(),
        "",
        false,
    ))
    .unwrap();
    let before = allocated();
    let r = block(typed::write_columns(&c, &name, &cols, "", false)).unwrap();
    let sending = allocated() - before;
    assert_eq!(r.write_count(), N as u64);
    assert!(
        sending < payload / 4,
        "the insert allocated {sending} bytes for a {payload}-byte payload: a copy"
    );
    println!("payload {payload} B; building allocated {building} B; sending {sending} B");

    let r = block(typed::query_typed(
        &c,
        &json!({"collection_name": name, "filter": "id >= 0", "output_fields": ["vector"], "limit": 16384}).to_string(),
    ))
    .unwrap();
    let col = r.column_index("vector").unwrap();
    let before = allocated();
    let (ptr, len) = match r.values(col).unwrap() {
        Values::FloatVectors { data, dim } => {
            assert_eq!(dim, DIM);
            (data.as_ptr(), data.len())
        }
        _ => panic!("not float vectors"),
    };
    let again = match r.values(col).unwrap() {
        Values::FloatVectors { data, .. } => data.as_ptr(),
        _ => unreachable!(),
    };
    assert_eq!(allocated() - before, 0, "reading vectors allocated");
    assert_eq!(ptr, again, "the accessor points into the result");
    assert_eq!(len, (N + 1).min(16384) * DIM);
    call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
}

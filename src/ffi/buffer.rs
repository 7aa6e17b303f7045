//! `milvus_buffer`: owned bytes handed to the caller.

/// Owned bytes returned by the library (UTF-8 JSON for the JSON methods). `data[len]` is a NUL
/// byte that is not counted in `len`, so `data` can be used as a C string. Free it with
/// `milvus_buffer_free`; do not change `data` or `len`.
#[repr(C)]
pub struct milvus_buffer {
    pub data: *mut u8,
    pub len: usize,
}

impl milvus_buffer {
    pub(crate) fn from_vec(mut bytes: Vec<u8>) -> Self {
        let len = bytes.len();
        bytes.push(0);
        let data = Box::into_raw(bytes.into_boxed_slice()).cast::<u8>();
        milvus_buffer { data, len }
    }
}

/// Frees the bytes of a buffer and sets it to `{NULL, 0}`. NULL, or a buffer whose `data` is
/// NULL, is a no-op, so freeing twice is harmless.
#[no_mangle]
pub unsafe extern "C" fn milvus_buffer_free(buffer: *mut milvus_buffer) {
    super::boundary_or((), || {
        // SAFETY: a non-NULL pointer must point to a milvus_buffer the caller owns (header contract).
        let Some(b) = (unsafe { buffer.as_mut() }) else {
            return;
        };
        if b.data.is_null() {
            return;
        }
        // SAFETY: data/len were made by from_vec from a boxed slice of len + 1 bytes.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(b.data, b.len + 1)) });
        b.data = std::ptr::null_mut();
        b.len = 0;
    })
}

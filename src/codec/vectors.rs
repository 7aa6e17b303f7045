//! Vector element encodings shared by rows, placeholders and results.

use crate::error::{Error, ErrorKind, Result};
use base64::Engine as _;
use serde_json::Value;

/// IEEE 754 half precision, round to nearest even.
pub fn f32_to_f16(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let man = b & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        let half = 1u32 << (shift - 1);
        let rest = m & ((1 << shift) - 1);
        let mut h = m >> shift;
        if rest > half || (rest == half && h & 1 == 1) {
            h += 1;
        }
        return sign | h as u16;
    }
    let mut h = ((e as u32) << 10) | (man >> 13);
    let rest = man & 0x1fff;
    if rest > 0x1000 || (rest == 0x1000 && h & 1 == 1) {
        h += 1;
    }
    sign | h as u16
}

pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    let bits = match exp {
        0 if man == 0 => sign,
        0 => {
            let mut e = 127 - 15 + 1;
            let mut m = man;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((m & 0x3ff) << 13)
        }
        0x1f => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// bfloat16: the upper half of an f32, round to nearest even.
pub fn f32_to_bf16(x: f32) -> u16 {
    let b = x.to_bits();
    if x.is_nan() {
        return ((b >> 16) | 0x40) as u16;
    }
    let round = 0x7fff + ((b >> 16) & 1);
    (b.wrapping_add(round) >> 16) as u16
}

pub fn bf16_to_f32(h: u16) -> f32 {
    f32::from_bits((h as u32) << 16)
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn from_b64(s: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| Error::invalid(format!("not valid base64: {e}")))
}

/// A JSON number as float32; values outside float32's range are errors, not infinities.
pub fn to_f32(x: &Value) -> Result<f32> {
    let f = x
        .as_f64()
        .ok_or_else(|| Error::invalid(format!("{x} is not a number")))?;
    let g = f as f32;
    if g.is_finite() {
        Ok(g)
    } else {
        Err(Error::invalid(format!("{x} is outside the float32 range")))
    }
}

/// Capacity to reserve for `n` elements: exact for sane sizes, capped so a huge claimed size
/// (rows × an absurd dim) cannot abort the process before the data is checked.
pub fn capacity(n: usize) -> usize {
    n.min(1 << 24)
}

fn dim_error(what: &str, got: usize, want: usize) -> Error {
    Error::new(
        ErrorKind::DimensionMismatch,
        format!("{what} has {got} elements, the field's dim is {want}"),
    )
}

/// A float vector given as a JSON list, checked against `dim` when it is known (non-zero).
pub fn float_list(v: &Value, dim: usize, out: &mut Vec<f32>) -> Result<()> {
    let list = v
        .as_array()
        .ok_or_else(|| Error::invalid("a float vector must be a list of numbers"))?;
    if dim != 0 && list.len() != dim {
        return Err(dim_error("the vector", list.len(), dim));
    }
    out.reserve(list.len());
    for (i, x) in list.iter().enumerate() {
        out.push(to_f32(x).map_err(|e| e.context(format!("element {i}")))?);
    }
    Ok(())
}

/// Raw bytes given as base64 text or a list of 0..255 integers, `len` long.
pub fn byte_list(v: &Value, len: usize, out: &mut Vec<u8>) -> Result<()> {
    let start = out.len();
    match v {
        Value::String(s) => out.extend(from_b64(s)?),
        Value::Array(a) => {
            for x in a {
                let b = x
                    .as_u64()
                    .filter(|b| *b <= 255)
                    .ok_or_else(|| Error::invalid(format!("byte {x} is not 0..255")))?;
                out.push(b as u8);
            }
        }
        _ => {
            return Err(Error::invalid(
                "bytes must be base64 text or a list of 0..255",
            ))
        }
    }
    if len != 0 && out.len() - start != len {
        let got = out.len() - start;
        out.truncate(start);
        return Err(Error::new(
            ErrorKind::DimensionMismatch,
            format!("got {got} bytes, the field needs {len}"),
        ));
    }
    Ok(())
}

/// Half-precision vector: a list of floats (converted) or base64 of the raw little-endian bytes.
pub fn half_list(v: &Value, dim: usize, bf16: bool, out: &mut Vec<u8>) -> Result<()> {
    if v.is_string() {
        return byte_list(v, dim.saturating_mul(2), out);
    }
    let mut f = Vec::new();
    float_list(v, dim, &mut f)?;
    for x in f {
        let h = if bf16 { f32_to_bf16(x) } else { f32_to_f16(x) };
        out.extend_from_slice(&h.to_le_bytes());
    }
    Ok(())
}

pub fn int8_list(v: &Value, dim: usize, out: &mut Vec<u8>) -> Result<()> {
    if v.is_string() {
        return byte_list(v, dim, out);
    }
    let list = v
        .as_array()
        .ok_or_else(|| Error::invalid("an int8 vector must be a list of integers"))?;
    if dim != 0 && list.len() != dim {
        return Err(dim_error("the vector", list.len(), dim));
    }
    for x in list {
        let i = x
            .as_i64()
            .filter(|i| (-128..=127).contains(i))
            .ok_or_else(|| Error::invalid(format!("{x} is not an int8")))?;
        out.push(i as i8 as u8);
    }
    Ok(())
}

/// One sparse row, `{"index": value}` or `[[index, value], ...]`, as sorted (u32, f32) LE pairs.
/// Returns the largest index + 1.
pub fn sparse_row(v: &Value) -> Result<(Vec<u8>, u64)> {
    let mut pairs: Vec<(u32, f32)> = Vec::new();
    let index = |k: u64| -> Result<u32> {
        u32::try_from(k)
            .ok()
            .filter(|i| *i != u32::MAX)
            .ok_or_else(|| Error::invalid(format!("sparse index {k} is out of range")))
    };
    let value = |x: &Value| -> Result<f32> {
        x.as_f64()
            .filter(|f| f.is_finite())
            .map(|f| f as f32)
            .ok_or_else(|| Error::invalid(format!("sparse value {x} is not a finite number")))
    };
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let i = k.parse::<u64>().map_err(|_| Error::invalid(format!("sparse index {k:?} is not an integer")))?;
                pairs.push((index(i)?, value(x)?));
            }
        }
        Value::Array(a) => {
            for p in a {
                match p.as_array().map(Vec::as_slice) {
                    Some([i, x]) => pairs.push((index(i.as_u64().ok_or_else(|| Error::invalid(format!("sparse index {i} is not an integer")))?)?, value(x)?)),
                    _ => return Err(Error::invalid("a sparse row given as a list must hold [index, value] pairs")),
                }
            }
        }
        _ => return Err(Error::invalid("a sparse vector must be an {\"index\": value} object or a list of [index, value] pairs")),
    }
    pairs.sort_by_key(|p| p.0);
    if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Error::invalid("a sparse vector repeats an index"));
    }
    let mut bytes = Vec::with_capacity(pairs.len() * 8);
    for (i, x) in &pairs {
        bytes.extend_from_slice(&i.to_le_bytes());
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    let dim = pairs.last().map(|p| p.0 as u64 + 1).unwrap_or(0);
    Ok((bytes, dim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_known_values() {
        assert_eq!(f32_to_f16(1.0), 0x3c00);
        assert_eq!(f32_to_f16(2.0), 0x4000);
        assert_eq!(f32_to_f16(-0.5), 0xb800);
        assert_eq!(f32_to_f16(65504.0), 0x7bff);
        assert_eq!(f32_to_f16(1e6), 0x7c00);
        assert_eq!(f32_to_f16(5.960_464_5e-8), 0x0001);
        for h in [0x3c00u16, 0x0001, 0x03ff, 0x7bff, 0xc000, 0x3555] {
            assert_eq!(f32_to_f16(f16_to_f32(h)), h);
        }
        assert_eq!(f32_to_bf16(1.0), 0x3f80);
        assert_eq!(bf16_to_f32(0x3f80), 1.0);
        assert_eq!(f32_to_bf16(bf16_to_f32(0xc0a0)), 0xc0a0);
    }

    #[test]
    fn sparse_rows_are_sorted_pairs() {
        let (b, dim) = sparse_row(&serde_json::json!({"5": 0.5, "1": 0.25})).unwrap();
        assert_eq!(b, [1, 0, 0, 0, 0, 0, 0x80, 0x3e, 5, 0, 0, 0, 0, 0, 0, 0x3f]);
        assert_eq!(dim, 6);
        assert!(sparse_row(&serde_json::json!([[1, 0.5], [1, 0.2]])).is_err());
    }
}

//! `schema.FloatArray` written by hand: prost's generated code moves packed floats one
//! element at a time, which made decoding vector columns most of a bulk read's CPU. This
//! one converts whole slices (the wire format is the same, field 1, packed little-endian).

use bytes::{Buf, BufMut};
use prost::encoding::{
    decode_varint, encode_key, encode_varint, encoded_len_varint, key_len, skip_field,
    DecodeContext, WireType,
};
use prost::DecodeError;

#[derive(Clone, PartialEq, Default, Debug)]
pub struct FloatArray {
    pub data: Vec<f32>,
}

/// prost offers no other public way to make a `DecodeError`; the text reaches the caller.
#[allow(deprecated)]
fn bad(what: &'static str) -> DecodeError {
    DecodeError::new(what)
}

impl prost::Message for FloatArray {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        if self.data.is_empty() {
            return;
        }
        encode_key(1, WireType::LengthDelimited, buf);
        encode_varint((self.data.len() * 4) as u64, buf);
        let mut tmp = [0u8; 4096];
        for chunk in self.data.chunks(1024) {
            for (o, x) in tmp.chunks_exact_mut(4).zip(chunk) {
                o.copy_from_slice(&x.to_le_bytes());
            }
            buf.put_slice(&tmp[..chunk.len() * 4]);
        }
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        if tag != 1 {
            return skip_field(wire_type, tag, buf, ctx);
        }
        match wire_type {
            WireType::LengthDelimited => {
                let len = decode_varint(buf)?;
                let len = usize::try_from(len)
                    .ok()
                    .filter(|l| *l <= buf.remaining() && l % 4 == 0)
                    .ok_or_else(|| bad("FloatArray.data: bad packed length"))?;
                self.data.reserve(len / 4);
                let mut left = len;
                while left > 0 {
                    let chunk = buf.chunk();
                    let take = chunk.len().min(left) / 4 * 4;
                    if take == 0 {
                        // A float split across two chunks of the buffer.
                        let mut b = [0u8; 4];
                        buf.copy_to_slice(&mut b);
                        self.data.push(f32::from_le_bytes(b));
                        left -= 4;
                        continue;
                    }
                    self.data.extend(
                        chunk[..take]
                            .chunks_exact(4)
                            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
                    );
                    buf.advance(take);
                    left -= take;
                }
                Ok(())
            }
            WireType::ThirtyTwoBit => {
                if buf.remaining() < 4 {
                    return Err(bad("FloatArray.data: truncated float"));
                }
                self.data.push(buf.get_f32_le());
                Ok(())
            }
            _ => Err(bad("FloatArray.data: wrong wire type")),
        }
    }

    fn encoded_len(&self) -> usize {
        if self.data.is_empty() {
            return 0;
        }
        let n = self.data.len() * 4;
        key_len(1) + encoded_len_varint(n as u64) + n
    }

    fn clear(&mut self) {
        self.data.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::FloatArray;
    use prost::Message;

    /// The same bytes as prost's generated encoding, both ways.
    #[test]
    fn matches_the_generated_wire_format() {
        #[derive(Clone, PartialEq, prost::Message)]
        struct Generated {
            #[prost(float, repeated, tag = "1")]
            data: Vec<f32>,
        }
        let data: Vec<f32> = (0..5000).map(|i| i as f32 * -0.37).collect();
        let ours = FloatArray { data: data.clone() }.encode_to_vec();
        let theirs = Generated { data: data.clone() }.encode_to_vec();
        assert_eq!(ours, theirs);
        assert_eq!(FloatArray::decode(theirs.as_slice()).unwrap().data, data);
        // Unpacked elements, and a buffer split mid-float.
        let unpacked = [0x0d, 0, 0, 0x80, 0x3f, 0x0d, 0, 0, 0, 0x40];
        assert_eq!(
            FloatArray::decode(&unpacked[..]).unwrap().data,
            vec![1.0, 2.0]
        );
        let split = bytes::Buf::chain(&ours[..7], &ours[7..]);
        assert_eq!(FloatArray::decode(split).unwrap().data, data);
        assert!(FloatArray::decode(&[0x0a, 3, 0, 0, 0][..]).is_err());
        assert!(FloatArray::decode(&[0x0a, 8, 0, 0, 0, 0][..]).is_err());
    }
}

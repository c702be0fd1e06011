//! Base64 decoding for `b64_json` images (RFC 4648, standard alphabet).

/// Why a text is not base64.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Base64Error {
    /// A byte outside the alphabet (ASCII whitespace is skipped, not an error).
    #[error("base64: byte {byte:#04x} at offset {at} is not in the alphabet")]
    InvalidByte {
        /// The byte offset in the text.
        at: usize,
        /// The byte.
        byte: u8,
    },
    /// The data length (without padding and whitespace) leaves one lone character.
    #[error("base64: {len} characters cannot encode whole bytes")]
    BadLength {
        /// The number of data characters.
        len: usize,
    },
    /// More than two `=`, or `=` followed by data.
    #[error("base64: padding at offset {at} is misplaced")]
    BadPadding {
        /// The byte offset of the offending `=` or the data after it.
        at: usize,
    },
}

const INVALID: u8 = 0xFF;

/// The value of each byte in the standard alphabet, [`INVALID`] elsewhere.
const TABLE: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes standard base64 (`A-Z a-z 0-9 + /`), with or without `=` padding;
/// ASCII whitespace is skipped, and unused low bits of the last character are ignored.
///
/// # Errors
/// [`Base64Error`] for a byte outside the alphabet, misplaced padding, or a
/// length that leaves a lone character.
///
/// ```
/// use gpt_image_plan::wire::decode_base64;
/// assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
/// assert_eq!(decode_base64("aGVsbG8").unwrap(), b"hello");
/// assert!(decode_base64("aGVs*G8=").is_err());
/// ```
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    let (data, pads) = split_padding(text.as_bytes())?;
    let (out, chars) = match decode_fast(data) {
        Some(result) => (result?, data.len()),
        None => decode_general(data)?,
    };
    if pads > 0 && (chars + pads) % 4 != 0 {
        return Err(Base64Error::BadPadding { at: data.len() });
    }
    Ok(out)
}

/// Splits off the trailing run of `=` and whitespace: the data before it and
/// the number of `=` in it.
fn split_padding(bytes: &[u8]) -> Result<(&[u8], usize), Base64Error> {
    let mut end = bytes.len();
    let mut pads = 0;
    while let Some(&b) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
        if b == b'=' {
            pads += 1;
        } else if !b.is_ascii_whitespace() {
            break;
        }
        end -= 1;
    }
    if pads > 2 {
        return Err(Base64Error::BadPadding { at: end });
    }
    Ok((bytes.get(..end).unwrap_or(bytes), pads))
}

/// The error for a byte outside the alphabet; a `=` there is misplaced padding.
fn invalid(at: usize, byte: u8) -> Base64Error {
    if byte == b'=' {
        Base64Error::BadPadding { at }
    } else {
        Base64Error::InvalidByte { at, byte }
    }
}

/// The fast path: whole quads straight from the table into a sized buffer,
/// then the tail. `None` when the data holds whitespace (the general path
/// handles it).
fn decode_fast(data: &[u8]) -> Option<Result<Vec<u8>, Base64Error>> {
    let quads = data.chunks_exact(4);
    let tail = quads.remainder();
    let mut out = vec![0u8; quads.len() * 3];
    for (q, (quad, dst)) in quads.zip(out.chunks_exact_mut(3)).enumerate() {
        let (&[b0, b1, b2, b3], [d0, d1, d2]) = (quad, dst) else {
            continue; // chunks_exact gives only quads and triples
        };
        let v = [b0, b1, b2, b3].map(|b| TABLE[usize::from(b)]);
        // INVALID is the only table value with the high bit set: one test per quad.
        if (v[0] | v[1] | v[2] | v[3]) & 0x80 != 0 {
            let (i, byte) = quad
                .iter()
                .copied()
                .enumerate()
                .find(|&(_, b)| TABLE[usize::from(b)] == INVALID)
                .unwrap_or((0, b0));
            if byte.is_ascii_whitespace() {
                return None;
            }
            return Some(Err(invalid(q * 4 + i, byte)));
        }
        let acc = (u32::from(v[0]) << 18)
            | (u32::from(v[1]) << 12)
            | (u32::from(v[2]) << 6)
            | u32::from(v[3]);
        *d0 = (acc >> 16) as u8;
        *d1 = (acc >> 8) as u8;
        *d2 = acc as u8;
    }
    let base = data.len() - tail.len();
    let mut acc: u32 = 0;
    for (i, &byte) in tail.iter().enumerate() {
        let v = TABLE[usize::from(byte)];
        if v == INVALID {
            if byte.is_ascii_whitespace() {
                return None;
            }
            return Some(Err(invalid(base + i, byte)));
        }
        acc = (acc << 6) | u32::from(v);
    }
    match tail.len() {
        1 => return Some(Err(Base64Error::BadLength { len: data.len() })),
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    Some(Ok(out))
}

/// The slow path, with whitespace: one character at a time. Returns the bytes
/// and the number of data characters.
fn decode_general(data: &[u8]) -> Result<(Vec<u8>, usize), Base64Error> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut held = 0u32;
    let mut chars = 0usize;
    for (at, &byte) in data.iter().enumerate() {
        if byte.is_ascii_whitespace() {
            continue;
        }
        let v = TABLE[usize::from(byte)];
        if v == INVALID {
            return Err(invalid(at, byte));
        }
        chars += 1;
        acc = (acc << 6) | u32::from(v);
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((acc >> held) as u8);
            acc &= (1 << held) - 1;
        }
    }
    if chars % 4 == 1 {
        return Err(Base64Error::BadLength { len: chars });
    }
    Ok((out, chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain encoder, to make inputs for the decoder.
    fn encode(bytes: &[u8], pad: bool) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            let keep = chunk.len() + 1;
            for i in 0..4 {
                if i < keep {
                    out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
                } else if pad {
                    out.push('=');
                }
            }
        }
        out
    }

    /// The obviously-correct reference: every character's six bits into a bit
    /// string, then the bit string cut into bytes.
    fn decode_reference(text: &str) -> Option<Vec<u8>> {
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let trimmed: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let data = trimmed.trim_end_matches('=');
        let pads = trimmed.len() - data.len();
        if pads > 2 || (pads > 0 && trimmed.len() % 4 != 0) || data.len() % 4 == 1 {
            return None;
        }
        let mut bits = Vec::new();
        for c in data.chars() {
            let v = alphabet.find(c)?;
            for k in (0..6).rev() {
                bits.push((v >> k) & 1 == 1);
            }
        }
        Some(
            bits.chunks_exact(8)
                .map(|byte| byte.iter().fold(0u8, |acc, &b| (acc << 1) | u8::from(b)))
                .collect(),
        )
    }

    #[test]
    fn decodes_the_rfc_4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ];
        for (text, plain) in vectors {
            assert_eq!(decode_base64(text).unwrap(), plain.as_bytes(), "{text}");
        }
    }

    #[test]
    fn whitespace_is_skipped() {
        assert_eq!(decode_base64("Zm9v\nYmFy\r\n").unwrap(), b"foobar");
        assert_eq!(decode_base64(" Zm8 = ").unwrap(), b"fo");
    }

    #[test]
    fn errors_name_the_offset_and_the_problem() {
        assert_eq!(
            decode_base64("Zm9v*").unwrap_err().to_string(),
            "base64: byte 0x2a at offset 4 is not in the alphabet"
        );
        assert_eq!(
            decode_base64("Zm9vY").unwrap_err().to_string(),
            "base64: 5 characters cannot encode whole bytes"
        );
        assert_eq!(
            decode_base64("Zg=a").unwrap_err().to_string(),
            "base64: padding at offset 2 is misplaced"
        );
        assert_eq!(
            decode_base64("Zg===").unwrap_err(),
            Base64Error::BadPadding { at: 2 }
        );
        assert_eq!(
            decode_base64("Zm9v=").unwrap_err(),
            Base64Error::BadPadding { at: 4 }
        );
        assert_eq!(
            decode_base64("Zm 9v *").unwrap_err(),
            Base64Error::InvalidByte { at: 6, byte: b'*' }
        );
        // Unused low bits are ignored, as most decoders do.
        assert_eq!(decode_base64("Zm9=").unwrap(), b"fo");
    }

    proptest::proptest! {
        #[test]
        fn decoding_an_encoding_gives_the_bytes_back(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300), pad in proptest::bool::ANY) {
            let text = encode(&bytes, pad);
            proptest::prop_assert_eq!(decode_base64(&text).unwrap(), bytes.clone());
            proptest::prop_assert_eq!(decode_reference(&text).unwrap(), bytes);
        }

        #[test]
        fn fast_decoder_agrees_with_the_reference(text in "[A-Za-z0-9+/= \n*]{0,40}") {
            proptest::prop_assert_eq!(decode_base64(&text).ok(), decode_reference(&text));
        }
    }
}

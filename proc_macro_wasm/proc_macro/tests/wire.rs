//! The wire format: round trips, and decoding of truncated, corrupt and
//! hostile input (an error, never a panic or a huge allocation).

use crate::wire::*;

fn group(index: u32, stream: Vec<Tree<InputGroup>>) -> Tree<InputGroup> {
    Tree::Group(InputGroup { delimiter: Delimiter::Bracket, span: 2, span_open: 3, span_close: 4, index, stream })
}

fn request() -> Request {
    Request {
        kind: MacroKind::Attr,
        name: "traced".to_string(),
        span_count: 12,
        group_count: 2,
        attr_args: Some(vec![Tree::Literal { span: 5, text: "\"é\\n\"".to_string() }]),
        input: vec![
            Tree::Ident { span: 6, is_raw: true, name: "fn".to_string() },
            Tree::Punct { span: 7, ch: '\'', joint: true },
            group(0, vec![group(1, vec![Tree::Punct { span: 8, ch: '#', joint: false }])]),
        ],
    }
}

fn response() -> Response {
    Response::Ok {
        new_spans: vec![NewSpan { op: SpanOp::Join, a: 1, b: 11 }, NewSpan { op: SpanOp::LocatedAt, a: 12, b: 0 }],
        stream: vec![
            Tree::Group(OutputGroup::Input(1)),
            Tree::Group(OutputGroup::New {
                delimiter: Delimiter::None,
                span: 13,
                stream: vec![Tree::Ident { span: 0, is_raw: false, name: "x".to_string() }],
            }),
        ],
    }
}

#[test]
fn requests_round_trip() {
    let r = request();
    assert_eq!(Request::decode(&r.encode()), Ok(r));
    let derive = Request { kind: MacroKind::Derive, attr_args: None, ..request() };
    assert_eq!(Request::decode(&derive.encode()), Ok(derive));
}

#[test]
fn request_layout() {
    let r = Request {
        kind: MacroKind::Bang,
        name: "m".to_string(),
        span_count: 3,
        group_count: 0,
        attr_args: None,
        input: vec![Tree::Punct { span: 2, ch: '+', joint: true }],
    };
    let mut expected =
        b"RRWM\x01\x00\x00\x00\x04\x00\x00\x00bang\x01\x00\x00\x00m\x03\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    expected.extend_from_slice(b"\x01\x00\x00\x00\x02\x02\x00\x00\x00+\x00\x00\x00\x01");
    assert_eq!(r.encode(), expected);
}

#[test]
fn responses_round_trip_in_frames() {
    for response in [response(), Response::Panic("boom: ü".to_string())] {
        let mut stdout = b"printed by the macro\n".to_vec();
        stdout.extend_from_slice(&response.frame());
        let (printed, payload) = split_frame(&stdout).unwrap();
        assert_eq!(printed, b"printed by the macro\n");
        assert_eq!(Response::decode(payload), Ok(response));
    }
}

#[test]
fn response_layout() {
    let frame = Response::Panic("no".to_string()).frame();
    assert_eq!(frame, b"\x01\x02\x00\x00\x00no\x07\x00\x00\x00RRWM-END");
    let ok = Response::Ok { new_spans: vec![], stream: vec![Tree::Group(OutputGroup::Input(7))] }.encode();
    assert_eq!(ok, b"\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\x07\x00\x00\x00");
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = request().encode();
    for n in 0..bytes.len() {
        assert!(Request::decode(&bytes[..n]).is_err(), "{} of {} bytes decoded", n, bytes.len());
    }
    let payload = response().encode();
    for n in 0..payload.len() {
        assert!(Response::decode(&payload[..n]).is_err(), "{} of {} bytes decoded", n, payload.len());
    }
}

#[test]
fn trailing_bytes_are_an_error() {
    let mut bytes = request().encode();
    bytes.push(0);
    assert!(Request::decode(&bytes).unwrap_err().contains("trailing"));
}

#[test]
fn corrupt_fields_are_errors() {
    let good = request().encode();
    let at = |offset: usize, value: &[u8]| {
        let mut b = good.clone();
        b[offset..offset + value.len()].copy_from_slice(value);
        Request::decode(&b).unwrap_err()
    };
    assert!(at(0, b"XXXX").contains("magic"));
    assert!(at(4, &[2]).contains("version 2"));
    assert!(at(12, b"atts").contains("unknown macro kind"));
    // Layout: magic 4, version 4, kind 8, name 10, span count 4, group count 4, has_attr 1.
    assert!(at(34, &[0]).contains("has_attr is 0 for a attr macro"));
    assert!(at(34, &[2]).contains("bad has_attr byte 2"));
    let mut b = good.clone();
    b[20..26].copy_from_slice(&[0xff; 6]);
    assert!(Request::decode(&b).unwrap_err().contains("UTF-8"));
}

#[test]
fn bad_trees_are_errors() {
    let decode = |tree: &[u8]| {
        let mut b = Vec::new();
        put_u32(&mut b, 1);
        b.extend_from_slice(tree);
        read_stream::<InputGroup>(&mut Reader::new(&b), 0)
    };
    assert!(decode(b"\x09\x00\x00\x00\x00\x00\x00\x00\x00").unwrap_err().contains("bad tree tag 9"));
    assert!(
        decode(b"\x04\x00\x00\x00\x00\x00\x00\x00\x00").unwrap_err().contains("bad tree tag 4"),
        "tag 4 is for responses"
    );
    assert!(decode(b"\x02\x00\x00\x00\x00\x00\xd8\x00\x00\x00").unwrap_err().contains("bad char"));
    assert!(decode(b"\x02\x00\x00\x00\x00+\x00\x00\x00\x02").unwrap_err().contains("spacing"));
    assert!(decode(b"\x01\x00\x00\x00\x00\x05\x00\x00\x00\x00").unwrap_err().contains("is_raw"));
    let group = b"\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
    assert!(decode(group).unwrap_err().contains("bad delimiter 7"));
}

#[test]
fn huge_counts_do_not_allocate() {
    let mut b = Vec::new();
    put_u32(&mut b, u32::MAX);
    b.extend_from_slice(&[1; 64]);
    assert!(read_stream::<OutputGroup>(&mut Reader::new(&b), 0).unwrap_err().contains("announced"));
    let mut s = Vec::new();
    put_u32(&mut s, u32::MAX);
    assert!(Reader::new(&s).str().unwrap_err().contains("truncated"));
    let mut spans = vec![0];
    put_u32(&mut spans, 0x1000_0000);
    assert!(Response::decode(&spans).is_err());
}

#[test]
fn deep_nesting_is_an_error() {
    let mut b = Vec::new();
    for _ in 0..=MAX_DEPTH + 1 {
        put_u32(&mut b, 1);
        b.extend_from_slice(&[0, 0]);
        put_u32(&mut b, 0);
    }
    put_u32(&mut b, 0);
    assert!(read_stream::<OutputGroup>(&mut Reader::new(&b), 0).unwrap_err().contains("nested deeper"));
}

#[test]
fn garbage_never_panics() {
    let mut seed: u32 = 0x2545_f491;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let good = request().encode();
    for _ in 0..20_000 {
        let mut b = good.clone();
        for _ in 0..1 + next() % 4 {
            let i = next() as usize % b.len();
            b[i] = next() as u8;
        }
        let _ = Request::decode(&b);
        let len = next() as usize % 64;
        let noise: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let _ = Request::decode(&noise);
        let _ = Response::decode(&noise);
        let _ = split_frame(&noise);
    }
}

#[test]
fn frames_must_be_whole() {
    assert!(split_frame(b"").is_err());
    assert!(split_frame(b"text without a frame").is_err());
    assert!(split_frame(b"\x05\x00\x00\x00RRWM-END").unwrap_err().contains("announces 5 bytes"));
    assert_eq!(split_frame(b"ab\x00\x00\x00\x00RRWM-END"), Ok((&b"ab"[..], &b""[..])));
}

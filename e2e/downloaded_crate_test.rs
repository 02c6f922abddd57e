//! unicode-ident, downloaded by Bazel from the crate registry.

#[test]
fn the_downloaded_crate_works() {
    assert!(unicode_ident::is_xid_start('a'));
    assert!(unicode_ident::is_xid_continue('7'));
    assert!(!unicode_ident::is_xid_start('7'));
}

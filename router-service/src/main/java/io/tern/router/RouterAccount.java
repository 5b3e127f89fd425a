package io.tern.router;

import io.tern.common.subject.SubjectTrie;

/** One account's part of a router partition: its own subject space. */
final class RouterAccount {
  /** The account connections are in unless the auth service binds them elsewhere. */
  static final String GLOBAL = "$G";

  final String name;
  final SubjectTrie<RouterSubscription> trie = new SubjectTrie<>();
  /** Mappings, imports and exports; null (the common case) when the account has none. */
  AccountRules rules;

  RouterAccount(String name) {
    this.name = name;
  }
}

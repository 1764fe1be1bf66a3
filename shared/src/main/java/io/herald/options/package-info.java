/**
 * Reading options from configuration sections, shared by every options class of the library: an options record
 * describes its keys once in an {@link io.herald.options.OptionsSchema} (each key's default and {@link
 * io.herald.options.Rule}s, and the rules between keys), from which {@code fromJson}, {@code toJson} and the
 * constructor's checks follow; {@link io.herald.options.JsonOptions} reads one typed value. A leaf: it depends on
 * nothing else in Herald.
 */
package io.herald.options;

/**
 * Reading options from configuration sections, shared by every options class of the library
 * ({@link io.herald.options.JsonOptions}). A leaf: it depends on nothing else in Herald.
 */
package io.herald.options;

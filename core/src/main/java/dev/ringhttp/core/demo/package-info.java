/** A small runnable server that shows the core API; not part of the library's contract. */
package dev.ringhttp.core.demo;

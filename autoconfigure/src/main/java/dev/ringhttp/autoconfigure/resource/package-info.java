/**
 * Static resources: the files of the static locations, loaded once at
 * start-up into one block of direct memory and answered from there, with
 * {@code ETag}, {@code Last-Modified} and {@code 304 Not Modified}. Requests
 * are matched against the loaded paths only; nothing a client sends is ever
 * resolved against a directory, so no path can reach a file outside them.
 */
@NullMarked
package dev.ringhttp.autoconfigure.resource;

import org.jspecify.annotations.NullMarked;

package io.stockline.bench;

/**
 * One end-of-run check.
 *
 * @param name   what it checks, as a sentence
 * @param passed whether it held
 * @param detail the counts behind it, or the first counter-examples
 */
record Check(String name, boolean passed, String detail) {
}

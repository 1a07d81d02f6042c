package org.atnabridge.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The words of free text ({@code _text}, {@code _content}) as both engines analyse the {@link
 * IndexFields#TEXT} field: Lucene's {@code StandardAnalyzer} and Elasticsearch's {@code standard}
 * analyzer are the same Unicode word tokenizer with lowercasing and no stop words.
 */
public final class TextWords {

  private static final Analyzer ANALYZER = new StandardAnalyzer();

  private TextWords() {}

  /** The distinct words of {@code text}, in order of first occurrence. */
  public static Set<String> of(String text) {
    Set<String> words = new LinkedHashSet<>();
    try (TokenStream ts = ANALYZER.tokenStream(IndexFields.TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        words.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return words;
  }
}

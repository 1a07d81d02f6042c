package org.atnabridge.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.atnabridge.store.SortOrder;
import org.junit.jupiter.api.Test;

class CursorTest {

  @Test
  void encode_roundTripsBothDirections_andForwardKeepsItsFormerEncoding() {
    Cursor forward = new Cursor(SortOrder.DATE_DESC, 1_700_000_000_000L, "a:b");
    Cursor backward = forward.reverse();
    assertThat(Cursor.decode(forward.encode())).isEqualTo(forward);
    assertThat(Cursor.decode(backward.encode())).isEqualTo(backward);
    assertThat(
            Cursor.decode(
                    new Cursor(SortOrder.LAST_UPDATED_ASC, 5, "x").reverse().encode(),
                    SortOrder.LAST_UPDATED_ASC)
                .backward())
        .isTrue();
    // cursors issued before backward paging existed stay valid
    assertThat(forward.encode()).isEqualTo(new Cursor(1_700_000_000_000L, "a:b").encode());
    assertThatThrownBy(() -> Cursor.decode(backward.encode(), SortOrder.DATE_ASC))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encode_roundTripsAnIdHoldingTheOrderSeparator() {
    // found by CursorFuzzTest: "~" in the id was read as the end of an ORDER prefix
    for (SortOrder order : SortOrder.values()) {
      Cursor c = new Cursor(order, -7, "R~x:y~z");
      assertThat(Cursor.decode(c.encode(), order)).isEqualTo(c);
      assertThat(Cursor.decode(c.reverse().encode(), order)).isEqualTo(c.reverse());
    }
  }

  @Test
  void nextAndPrevious_existAsTheDirectionOfTheSearchImplies() {
    List<Cursor> page = List.of(new Cursor(3, "c"), new Cursor(2, "b"));
    Cursor from = new Cursor(4, "d");
    // first page: next only when more follow, never a previous
    assertThat(Cursor.next(null, page, true)).isEqualTo(page.get(1).encode());
    assertThat(Cursor.next(null, page, false)).isNull();
    assertThat(Cursor.previous(null, page, true)).isNull();
    // forward from a cursor: the page it came from precedes
    assertThat(Cursor.previous(from, page, false)).isEqualTo(page.get(0).reverse().encode());
    // backward: the page it came from follows; a previous only when more precede
    assertThat(Cursor.next(from.reverse(), page, false)).isEqualTo(page.get(1).encode());
    assertThat(Cursor.previous(from.reverse(), page, false)).isNull();
    assertThat(Cursor.previous(from.reverse(), page, true))
        .isEqualTo(page.get(0).reverse().encode());
    // an empty page offers no position to continue from
    assertThat(Cursor.next(from, List.of(), true)).isNull();
  }
}

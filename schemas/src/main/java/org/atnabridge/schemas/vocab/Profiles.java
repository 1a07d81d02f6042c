package org.atnabridge.schemas.vocab;

/** Canonical URLs of the profiles events are shaped to. */
public final class Profiles {

  /** Canonical base of the IHE BALP StructureDefinitions; a profile's URL is this plus its id. */
  public static final String BALP_BASE = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/";

  private Profiles() {}
}

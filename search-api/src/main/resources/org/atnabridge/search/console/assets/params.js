// Reads FHIR Parameters resources (the answers of $access-report, $stats and $verify).

export function value(p) {
  if (!p) return undefined;
  const key = Object.keys(p).find((k) => k.startsWith('value'));
  return key ? p[key] : undefined;
}

export function all(params, name) {
  return (params?.parameter || []).filter((p) => p.name === name);
}

export function one(params, name) {
  return value(all(params, name)[0]);
}

export function parts(p) {
  const out = {};
  for (const x of p.part || []) {
    const v = value(x);
    if (out[x.name] === undefined) out[x.name] = v;
    else out[x.name] = [].concat(out[x.name], v);
  }
  return out;
}

export function list(v) {
  return v === undefined ? [] : [].concat(v);
}

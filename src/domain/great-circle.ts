/** A point on the Earth in degrees (WGS 84 latitude and longitude). */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** The mean Earth radius (IUGG), in kilometres. */
const EARTH_RADIUS_KM = 6371.0088;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * The great-circle distance between two points, in kilometres. A sphere is within half a
 * percent of the ellipsoid, plenty for choosing which store is nearer. The angle comes from
 * atan2 of its sine and cosine (the spherical case of Vincenty's formula), exact for every
 * separation: the law of cosines loses its digits for points close together, and the
 * haversine for points nearly antipodal (by some millimetres, enough to break the triangle
 * inequality).
 */
export function greatCircleKm(a: GeoPoint, b: GeoPoint): number {
  const lat1 = radians(a.latitude);
  const lat2 = radians(b.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const x = Math.cos(lat2) * Math.sin(dLon);
  const y = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
  const z = Math.sin(lat1) * Math.sin(lat2) + Math.cos(lat1) * Math.cos(lat2) * Math.cos(dLon);
  return EARTH_RADIUS_KM * Math.atan2(Math.hypot(x, y), z);
}

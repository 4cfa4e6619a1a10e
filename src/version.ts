/** minima's version, as package.json says (a test keeps the two equal); run files record it. */
export const version = "0.1.0";

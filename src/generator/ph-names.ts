/**
 * Filipino name material for customers. faker 10 has no Philippine locale, so names, barangays,
 * streets and phone prefixes come from these lists (faker adds companies and more streets).
 */

export const FIRST_NAMES: readonly string[] = [
  'Juan', 'Jose', 'Maria', 'Ana', 'Mark', 'John Paul', 'Angelica', 'Kristine', 'Michael', 'Jerome', 'Rowena',
  'Marites', 'Ricardo', 'Eduardo', 'Rodrigo', 'Carmela', 'Lourdes', 'Rosario', 'Teresita', 'Ramon', 'Antonio',
  'Francisco', 'Manuel', 'Josefina', 'Corazon', 'Erlinda', 'Marilou', 'Rommel', 'Arnel', 'Jomar', 'Jericho',
  'Rhea', 'Mylene', 'Jocelyn', 'Lovely', 'Princess', 'Angel', 'Christian', 'Joshua', 'Jasmine', 'Nicole',
  'Patricia', 'Camille', 'Bea', 'Paolo', 'Miguel', 'Gabriel', 'Rafael', 'Carlo', 'Enrique', 'Ernesto',
  'Dolores', 'Imelda', 'Remedios', 'Nenita', 'Danilo', 'Reynaldo', 'Romeo', 'Rolando', 'Wilfredo', 'Jun',
  'Bong', 'Rey', 'Joy', 'Grace', 'Faith', 'Ma. Theresa', 'Ma. Cristina', 'Jennifer', 'Sheryl', 'Aileen',
  'Rodel', 'Ariel', 'Noel', 'Dennis', 'Ronaldo', 'Alvin', 'Kevin', 'Bryan', 'Ronnie', 'Leonora', 'Celia',
  'Vilma', 'Nora', 'Luzviminda', 'Maricel', 'Marvin', 'Jayson', 'Ivy', 'Hazel', 'Analyn', 'Precious',
];

export const LAST_NAMES: readonly string[] = [
  'Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Torres', 'Tomas', 'Andrada', 'Castillo',
  'Flores', 'Villanueva', 'Ramos', 'Castro', 'Rivera', 'Aquino', 'Navarro', 'Salazar', 'Mercado', 'Dela Cruz',
  'De Leon', 'De Guzman', 'Del Rosario', 'Gonzales', 'Lopez', 'Hernandez', 'Perez', 'Aguilar', 'Domingo',
  'Pascual', 'Santiago', 'Valdez', 'Manalo', 'Soriano', 'Dizon', 'Lim', 'Tan', 'Go', 'Sy', 'Chua', 'Co',
  'Macaraeg', 'Panganiban', 'Magsaysay', 'Mabini', 'Dimaculangan', 'Dimaano', 'Katigbak', 'Lacson', 'Lualhati',
  'Manalastas', 'Pangilinan', 'Sison', 'Tolentino', 'Umali', 'Vergara', 'Yap', 'Zamora', 'Abad', 'Agustin',
  'Alvarez', 'Bernardo', 'Buenaventura', 'Cabrera', 'Calderon', 'Concepcion', 'Corpuz', 'Cortez', 'Dumalagan',
  'Espiritu', 'Fernandez', 'Francisco', 'Gatchalian', 'Ignacio', 'Javier', 'Lagman', 'Lazaro', 'Legaspi',
  'Magbanua', 'Marquez', 'Medina', 'Miranda', 'Natividad', 'Pacquiao', 'Quiambao', 'Quijano', 'Sarmiento',
];

/** Common barangay names; most towns have a Poblacion and a San Isidro. */
export const BARANGAYS: readonly string[] = [
  'Poblacion', 'San Isidro', 'San Jose', 'San Roque', 'Santo Niño', 'San Antonio', 'Santa Cruz', 'San Vicente',
  'Bagong Silang', 'Bagumbayan', 'Malvar', 'Mabini', 'Rizal', 'Bonifacio', 'Maligaya', 'Masagana', 'Pag-asa',
  'San Miguel', 'San Pedro', 'San Rafael', 'Santa Maria', 'Santa Rosa', 'Concepcion', 'Del Pilar', 'Burgos',
  'Lourdes', 'Magsaysay', 'Quezon', 'Sampaloc', 'Tibag', 'Bagong Pag-asa', 'Kamuning', 'Talon Uno', 'Pinagbuhatan',
  'Dolores', 'Mambugan', 'Ibabao', 'Lahug', 'Mabolo', 'Guadalupe', 'Tisa', 'Banilad', 'Matina', 'Buhangin',
];

/** Street names after national heroes and saints, as found in most Philippine towns. */
export const STREET_NAMES: readonly string[] = [
  'Rizal', 'Mabini', 'Bonifacio', 'Burgos', 'Luna', 'Del Pilar', 'Aguinaldo', 'Quezon', 'Osmeña', 'Roxas',
  'Magsaysay', 'Jacinto', 'Silang', 'Lapu-Lapu', 'Gomez', 'Zamora', 'Dagohoy', 'Sampaguita', 'Ilang-Ilang',
  'Narra', 'Molave', 'Acacia', 'Mango', 'Kalayaan', 'Maharlika', 'Katipunan', 'San Juan', 'Santa Ana', 'P. Burgos',
  'J.P. Laurel', 'E. Rodriguez', 'A. Bonifacio', 'Gen. Luna', 'M.H. del Pilar', 'Taft', 'España', 'Aurora',
];

export const STREET_SUFFIXES: readonly string[] = ['St.', 'Street', 'Ave.', 'Avenue', 'Road', 'Extension', 'Drive'];

export const COMPANY_SUFFIXES: readonly string[] = [
  'Trading', 'Enterprises', 'General Merchandise', 'Hardware', 'Corporation', 'Marketing', 'Sari-Sari Store',
  'Food Products', 'Logistics', 'Construction Supply', 'Agri Supply', 'Pharmacy', 'Printing Services',
];

/** Mobile network prefixes (after the leading 0 or +63). */
export const MOBILE_PREFIXES: readonly string[] = [
  '905', '906', '915', '916', '917', '926', '927', '935', '936', '945', '953', '954', '955', '956', '965', '966',
  '967', '975', '977', '995', '997', '907', '908', '909', '910', '912', '918', '919', '920', '921', '928', '929',
  '939', '946', '947', '948', '949', '951', '961', '998', '999', '991', '992', '993', '994',
];

export const EMAIL_TLDS: readonly string[] = ['com.ph', 'ph', 'com', 'net.ph'];

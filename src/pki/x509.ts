// @peculiar/x509 (through tsyringe) needs the Reflect metadata API at load time. Importing the
// polyfill here, before the library, makes the order hold no matter which module loads first;
// the rest of the PKI imports the library only through this file.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export { x509 };

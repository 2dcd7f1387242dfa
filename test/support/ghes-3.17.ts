/** Setup of the Jest project that runs the scenarios against GitHub Enterprise Server 3.17 (jest.config.js). */
process.env.RULEBOOK_TEST_GHES = "3.17";
